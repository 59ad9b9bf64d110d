;; The polyphase resampler's inner loops in WebAssembly SIMD (f32x4): the SIMD twin of js-kernel.ts.
;;
;; Assembled by scripts/build-wasm.mjs (wabt) into polyphase-wasm.ts; a test checks that the embedded
;; bytes are what this file assembles to.
;;
;; Memory is the caller's heap (wasm-heap.ts): the history (f32 samples), the row tables and the
;; output (int16) all live in it. A row table has 16 bytes per phase:
;;   +0 kind (i32: 1 one tap, else dense)  +4 first tap (i32)  +8 tap count (i32, a multiple of 4,
;;   at least 4)  +12 byte address of the row's f32 weights (i32)
;; simd-kernel.ts writes halfband decimator rows dense, zeros included: in f32x4 that costs about
;; what gathering every other sample would, and keeps one loop.
;;
;; Every output is summed the same way, whichever loop computes it (so the output does not depend on
;; how the input was chunked): lane k of one f32x4 accumulator adds taps 4i + k in order, then
;; (lane 0 + lane 2) + (lane 1 + lane 3), then floor(sum + 0.5) in f32, saturated to 16 bits. That
;; differs from the JS kernel's f64 sums by far less than one LSB, which after rounding is a
;; difference of at most one LSB on a few samples (tested).
(module
  (memory (export "memory") 1)

  ;; Computes `count` outputs into int16s at `out`, as js-kernel.ts compute does: output j + k * up
  ;; (k = 0, 1, ...) uses phase row `phase` stepped j times, reading history samples from `index`
  ;; (the first output's first tap, relative to the f32 history at byte address `history`), stepped
  ;; by `down` for each k.
  (func (export "resample")
    (param $rows i32) (param $up i32) (param $down i32) (param $history i32) (param $index i32)
    (param $phase i32) (param $anchorStep i32) (param $phaseStep i32) (param $count i32) (param $out i32)
    (local $j i32) (local $row i32) (local $w i32) (local $wEnd i32) (local $weight f32)
    (local $dst i32) (local $outEnd i32) (local $outStep i32) (local $inStep i32)
    (local $x0 i32) (local $x i32) (local $c i32) (local $d2 i32) (local $d3 i32)
    (local $weights v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local $sums v128)
    (local.set $outEnd (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 1))))
    (local.set $outStep (i32.shl (local.get $up) (i32.const 1)))
    (local.set $inStep (i32.shl (local.get $down) (i32.const 2)))
    (local.set $d2 (i32.shl (local.get $inStep) (i32.const 1)))
    (local.set $d3 (i32.add (local.get $d2) (local.get $inStep)))
    (block $phasesDone
      (loop $phases
        (br_if $phasesDone (i32.ge_u (local.get $j) (local.get $up)))
        (br_if $phasesDone (i32.ge_u (local.get $j) (local.get $count)))
        (local.set $row (i32.add (local.get $rows) (i32.shl (local.get $phase) (i32.const 4))))
        (local.set $w (i32.load offset=12 (local.get $row)))
        (local.set $dst (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 1))))
        (local.set $x0
          (i32.add (local.get $history)
            (i32.shl (i32.add (local.get $index) (i32.load offset=4 (local.get $row))) (i32.const 2))))

        (if (i32.eq (i32.load (local.get $row)) (i32.const 1))
          (then
            ;; One tap: a halfband or 1:L interpolator's centre row. With down = 1 (1:L) its outputs read
            ;; consecutive samples: four a turn.
            (local.set $weight (f32.load (local.get $w)))
            (if (i32.eq (local.get $down) (i32.const 1))
              (then
                (local.set $weights (f32x4.splat (local.get $weight)))
                (block $quadsDone
                  (loop $quads
                    (br_if $quadsDone
                      (i32.ge_u (i32.add (local.get $dst) (i32.mul (local.get $outStep) (i32.const 3)))
                        (local.get $outEnd)))
                    (local.set $sums (f32x4.mul (v128.load align=4 (local.get $x0)) (local.get $weights)))
                    (call $store4 (local.get $dst) (local.get $outStep) (local.get $sums))
                    (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $outStep) (i32.const 2))))
                    (local.set $x0 (i32.add (local.get $x0) (i32.const 16)))
                    (br $quads)))))
            (block $impulseDone
              (loop $impulse
                (br_if $impulseDone (i32.ge_u (local.get $dst) (local.get $outEnd)))
                (i32.store16 (local.get $dst)
                  (call $round16 (f32.mul (f32.load (local.get $x0)) (local.get $weight))))
                (local.set $dst (i32.add (local.get $dst) (local.get $outStep)))
                (local.set $x0 (i32.add (local.get $x0) (local.get $inStep)))
                (br $impulse))))
          (else
            (local.set $wEnd
              (i32.add (local.get $w) (i32.shl (i32.load offset=8 (local.get $row)) (i32.const 2))))
            ;; Four outputs of this row at a time: one weight load serves four accumulators, which
            ;; are four independent dependency chains.
            (block $quadsDone
              (loop $quads
                (br_if $quadsDone
                  (i32.ge_u (i32.add (local.get $dst) (i32.mul (local.get $outStep) (i32.const 3)))
                    (local.get $outEnd)))
                (local.set $x (local.get $x0))
                (local.set $c (local.get $w))
                (local.set $acc0 (v128.const i32x4 0 0 0 0))
                (local.set $acc1 (v128.const i32x4 0 0 0 0))
                (local.set $acc2 (v128.const i32x4 0 0 0 0))
                (local.set $acc3 (v128.const i32x4 0 0 0 0))
                (loop $taps
                  (local.set $weights (v128.load align=4 (local.get $c)))
                  (local.set $acc0
                    (f32x4.add (local.get $acc0)
                      (f32x4.mul (v128.load align=4 (local.get $x)) (local.get $weights))))
                  (local.set $acc1
                    (f32x4.add (local.get $acc1)
                      (f32x4.mul (v128.load align=4 (i32.add (local.get $x) (local.get $inStep)))
                        (local.get $weights))))
                  (local.set $acc2
                    (f32x4.add (local.get $acc2)
                      (f32x4.mul (v128.load align=4 (i32.add (local.get $x) (local.get $d2)))
                        (local.get $weights))))
                  (local.set $acc3
                    (f32x4.add (local.get $acc3)
                      (f32x4.mul (v128.load align=4 (i32.add (local.get $x) (local.get $d3)))
                        (local.get $weights))))
                  (local.set $x (i32.add (local.get $x) (i32.const 16)))
                  (local.set $c (i32.add (local.get $c) (i32.const 16)))
                  (br_if $taps (i32.lt_u (local.get $c) (local.get $wEnd))))
                ;; Transpose-add: lane k of $sums is (lane 0 + lane 2) + (lane 1 + lane 3) of $acc<k>.
                (local.set $acc0
                  (f32x4.add
                    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $acc0) (local.get $acc1))
                    (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $acc0) (local.get $acc1))))
                (local.set $acc2
                  (f32x4.add
                    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $acc2) (local.get $acc3))
                    (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $acc2) (local.get $acc3))))
                (local.set $sums
                  (f32x4.add
                    (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $acc0) (local.get $acc2))
                    (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $acc0) (local.get $acc2))))
                (call $store4 (local.get $dst) (local.get $outStep) (local.get $sums))
                (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $outStep) (i32.const 2))))
                (local.set $x0 (i32.add (local.get $x0) (i32.shl (local.get $inStep) (i32.const 2))))
                (br $quads)))
            ;; The last 0-3 outputs of the row, one at a time, summed exactly as in a quad.
            (block $singlesDone
              (loop $singles
                (br_if $singlesDone (i32.ge_u (local.get $dst) (local.get $outEnd)))
                (local.set $x (local.get $x0))
                (local.set $c (local.get $w))
                (local.set $acc0 (v128.const i32x4 0 0 0 0))
                (loop $taps
                  (local.set $acc0
                    (f32x4.add (local.get $acc0)
                      (f32x4.mul (v128.load align=4 (local.get $x)) (v128.load align=4 (local.get $c)))))
                  (local.set $x (i32.add (local.get $x) (i32.const 16)))
                  (local.set $c (i32.add (local.get $c) (i32.const 16)))
                  (br_if $taps (i32.lt_u (local.get $c) (local.get $wEnd))))
                (local.set $acc0
                  (f32x4.add (local.get $acc0)
                    (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $acc0) (local.get $acc0))))
                (i32.store16 (local.get $dst)
                  (call $round16
                    (f32.add (f32x4.extract_lane 0 (local.get $acc0)) (f32x4.extract_lane 1 (local.get $acc0)))))
                (local.set $dst (i32.add (local.get $dst) (local.get $outStep)))
                (local.set $x0 (i32.add (local.get $x0) (local.get $inStep)))
                (br $singles)))))

        ;; The next output's row: the phase steps by down mod up, the anchor by down / up (and one
        ;; more when the phase wraps).
        (local.set $index (i32.add (local.get $index) (local.get $anchorStep)))
        (local.set $phase (i32.add (local.get $phase) (local.get $phaseStep)))
        (if (i32.ge_u (local.get $phase) (local.get $up))
          (then
            (local.set $phase (i32.sub (local.get $phase) (local.get $up)))
            (local.set $index (i32.add (local.get $index) (i32.const 1)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $phases))))

  ;; Stores the four sums in `sums` as int16s at `dst`, `step` bytes apart: floor(sum + 0.5) in f32,
  ;; saturated to 16 bits, lane for lane what $round16 does.
  (func $store4 (param $dst i32) (param $step i32) (param $sums v128)
    (local.set $sums
      (i16x8.narrow_i32x4_s
        (i32x4.trunc_sat_f32x4_s (f32x4.floor (f32x4.add (local.get $sums) (v128.const f32x4 0.5 0.5 0.5 0.5))))
        (v128.const i32x4 0 0 0 0)))
    (if (i32.eq (local.get $step) (i32.const 2))
      (then (v128.store64_lane align=2 0 (local.get $dst) (local.get $sums)))
      (else
        (i32.store16 (local.get $dst) (i16x8.extract_lane_u 0 (local.get $sums)))
        (i32.store16 (i32.add (local.get $dst) (local.get $step)) (i16x8.extract_lane_u 1 (local.get $sums)))
        (i32.store16 (i32.add (local.get $dst) (i32.shl (local.get $step) (i32.const 1)))
          (i16x8.extract_lane_u 2 (local.get $sums)))
        (i32.store16 (i32.add (local.get $dst) (i32.mul (local.get $step) (i32.const 3)))
          (i16x8.extract_lane_u 3 (local.get $sums))))))

  ;; floor(sum + 0.5) in f32, saturated to 16 bits: lane for lane what $store4 does.
  (func $round16 (param $sum f32) (result i32)
    (local $value i32)
    (local.set $value (i32.trunc_sat_f32_s (f32.floor (f32.add (local.get $sum) (f32.const 0.5)))))
    (select (i32.const -32768)
      (select (i32.const 32767) (local.get $value) (i32.gt_s (local.get $value) (i32.const 32767)))
      (i32.lt_s (local.get $value) (i32.const -32768)))))
