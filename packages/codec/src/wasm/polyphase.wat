;; The polyphase resampler's inner loops in WebAssembly SIMD (f32x4): the SIMD twin of the JS loops
;; in js-kernel.ts, for the same sparse phase rows (sparse-phase-rows.ts).
;;
;; Assembled by scripts/build-wasm.mjs (wabt) into polyphase-wasm.ts; a test checks that the embedded
;; bytes are what this file assembles to.
;;
;; Memory is the caller's heap (wasm-heap.ts): the history (f32 samples), the row tables and the
;; output (int16) all live in it. A row table has 24 bytes per phase:
;;   +0 kind (i32: 0 dense, 1 impulse, 2 stride-2)  +4 first tap (i32)  +8 tap count (i32)
;;   +12 byte address of the row's f32 weights (i32)  +16 extra tap (i32, -1: none)  +20 extra weight (f32)
;; Dense rows start and end on whole groups of four taps; stride-2 rows read one f32 past their last
;; tap (lanes the shuffle drops), so the heap keeps slack after every history.
;;
;; Sums are f32 in a fixed order (lanes, then lane pairs), so the output does not depend on how the
;; input was chunked; they differ from the JS kernel's f64 sums by far less than one LSB, which after
;; rounding is a difference of at most one LSB on a few samples (tested).
(module
  (memory (export "memory") 1)

  ;; Computes `count` outputs into int16s at `out`, as resampler.ts computeInto does: output j + k * up
  ;; (k = 0, 1, ...) uses phase row `phase` stepped j times, reading history samples from `index` (the
  ;; first output's anchor, relative to the history at byte address `history`) stepped by `down`.
  (func (export "resample")
    (param $rows i32) (param $up i32) (param $down i32) (param $history i32) (param $index i32)
    (param $phase i32) (param $anchorStep i32) (param $phaseStep i32) (param $count i32) (param $out i32)
    (local $j i32) (local $row i32) (local $kind i32) (local $n i32) (local $w i32) (local $wEnd i32)
    (local $extra i32) (local $extraWeight f32) (local $weight f32)
    (local $dst i32) (local $outEnd i32) (local $outStep i32) (local $inStep i32)
    (local $x0 i32) (local $xe i32) (local $x i32) (local $c i32) (local $rest i32)
    (local $acc0 v128) (local $acc1 v128) (local $sum f32) (local $rounded f64)
    (local.set $outEnd (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 1))))
    (local.set $outStep (i32.shl (local.get $up) (i32.const 1)))
    (local.set $inStep (i32.shl (local.get $down) (i32.const 2)))
    (block $phasesDone
      (loop $phases
        (br_if $phasesDone (i32.ge_u (local.get $j) (local.get $up)))
        (br_if $phasesDone (i32.ge_u (local.get $j) (local.get $count)))
        (local.set $row (i32.add (local.get $rows) (i32.mul (local.get $phase) (i32.const 24))))
        (local.set $kind (i32.load (local.get $row)))
        (local.set $n (i32.load offset=8 (local.get $row)))
        (local.set $w (i32.load offset=12 (local.get $row)))
        (local.set $extra (i32.load offset=16 (local.get $row)))
        (local.set $extraWeight (f32.load offset=20 (local.get $row)))
        (local.set $dst (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 1))))
        (local.set $x0
          (i32.add (local.get $history)
            (i32.shl (i32.add (local.get $index) (i32.load offset=4 (local.get $row))) (i32.const 2))))
        (local.set $xe
          (i32.add (local.get $history) (i32.shl (i32.add (local.get $index) (local.get $extra)) (i32.const 2))))

        (if (i32.eq (local.get $kind) (i32.const 1))
          (then
            ;; One tap: a halfband or 1:L interpolator's centre row.
            (local.set $weight (f32.load (local.get $w)))
            (block $impulseDone
              (loop $impulse
                (br_if $impulseDone (i32.ge_u (local.get $dst) (local.get $outEnd)))
                (local.set $sum (f32.mul (f32.load (local.get $x0)) (local.get $weight)))
                ;; Math.round (halves up) of the sum, clipped to 16 bits.
                (local.set $rounded (f64.floor (f64.add (f64.promote_f32 (local.get $sum)) (f64.const 0.5))))
                (i32.store16 (local.get $dst)
                  (i32.trunc_f64_s
                    (f64.min (f64.max (local.get $rounded) (f64.const -32768)) (f64.const 32767))))
                (local.set $dst (i32.add (local.get $dst) (local.get $outStep)))
                (local.set $x0 (i32.add (local.get $x0) (local.get $inStep)))
                (br $impulse))))
          (else
            (if (i32.eq (local.get $kind) (i32.const 0))
              (then
                ;; Dense: eight taps a turn in two accumulators, then the last four.
                (local.set $wEnd (i32.add (local.get $w) (i32.shl (local.get $n) (i32.const 2))))
                (block $denseDone
                  (loop $dense
                    (br_if $denseDone (i32.ge_u (local.get $dst) (local.get $outEnd)))
                    (local.set $x (local.get $x0))
                    (local.set $c (local.get $w))
                    (local.set $acc0 (v128.const i32x4 0 0 0 0))
                    (local.set $acc1 (v128.const i32x4 0 0 0 0))
                    (block $eightDone
                      (loop $eight
                        (br_if $eightDone (i32.gt_u (i32.add (local.get $c) (i32.const 32)) (local.get $wEnd)))
                        (local.set $acc0
                          (f32x4.add (local.get $acc0)
                            (f32x4.mul (v128.load align=4 (local.get $x)) (v128.load align=4 (local.get $c)))))
                        (local.set $acc1
                          (f32x4.add (local.get $acc1)
                            (f32x4.mul (v128.load offset=16 align=4 (local.get $x))
                              (v128.load offset=16 align=4 (local.get $c)))))
                        (local.set $x (i32.add (local.get $x) (i32.const 32)))
                        (local.set $c (i32.add (local.get $c) (i32.const 32)))
                        (br $eight)))
                    (if (i32.lt_u (local.get $c) (local.get $wEnd))
                      (then
                        (local.set $acc0
                          (f32x4.add (local.get $acc0)
                            (f32x4.mul (v128.load align=4 (local.get $x)) (v128.load align=4 (local.get $c)))))))
                    (local.set $acc0 (f32x4.add (local.get $acc0) (local.get $acc1)))
                    (local.set $acc0
                      (f32x4.add (local.get $acc0)
                        (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $acc0) (local.get $acc0))))
                    (local.set $sum
                      (f32.add (f32x4.extract_lane 0 (local.get $acc0)) (f32x4.extract_lane 1 (local.get $acc0))))
                    (local.set $rounded (f64.floor (f64.add (f64.promote_f32 (local.get $sum)) (f64.const 0.5))))
                    (i32.store16 (local.get $dst)
                      (i32.trunc_f64_s
                        (f64.min (f64.max (local.get $rounded) (f64.const -32768)) (f64.const 32767))))
                    (local.set $dst (i32.add (local.get $dst) (local.get $outStep)))
                    (local.set $x0 (i32.add (local.get $x0) (local.get $inStep)))
                    (br $dense))))
              (else
                ;; Stride 2 (a halfband decimator): the even lanes of two loads are four taps; the
                ;; last 0-3 taps and the tap off the grid are scalar.
                (local.set $rest (i32.and (local.get $n) (i32.const 3)))
                (local.set $wEnd
                  (i32.add (local.get $w) (i32.shl (i32.sub (local.get $n) (local.get $rest)) (i32.const 2))))
                (block $strideDone
                  (loop $stride
                    (br_if $strideDone (i32.ge_u (local.get $dst) (local.get $outEnd)))
                    (local.set $x (local.get $x0))
                    (local.set $c (local.get $w))
                    (local.set $acc0 (v128.const i32x4 0 0 0 0))
                    (local.set $acc1 (v128.const i32x4 0 0 0 0))
                    (block $eightDone
                      (loop $eight
                        (br_if $eightDone (i32.gt_u (i32.add (local.get $c) (i32.const 32)) (local.get $wEnd)))
                        (local.set $acc0
                          (f32x4.add (local.get $acc0)
                            (f32x4.mul
                              (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27
                                (v128.load align=4 (local.get $x)) (v128.load offset=16 align=4 (local.get $x)))
                              (v128.load align=4 (local.get $c)))))
                        (local.set $acc1
                          (f32x4.add (local.get $acc1)
                            (f32x4.mul
                              (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27
                                (v128.load offset=32 align=4 (local.get $x))
                                (v128.load offset=48 align=4 (local.get $x)))
                              (v128.load offset=16 align=4 (local.get $c)))))
                        (local.set $x (i32.add (local.get $x) (i32.const 64)))
                        (local.set $c (i32.add (local.get $c) (i32.const 32)))
                        (br $eight)))
                    (if (i32.lt_u (local.get $c) (local.get $wEnd))
                      (then
                        (local.set $acc0
                          (f32x4.add (local.get $acc0)
                            (f32x4.mul
                              (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27
                                (v128.load align=4 (local.get $x)) (v128.load offset=16 align=4 (local.get $x)))
                              (v128.load align=4 (local.get $c)))))
                        (local.set $x (i32.add (local.get $x) (i32.const 32)))
                        (local.set $c (i32.add (local.get $c) (i32.const 16)))))
                    (local.set $acc0 (f32x4.add (local.get $acc0) (local.get $acc1)))
                    (local.set $acc0
                      (f32x4.add (local.get $acc0)
                        (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $acc0) (local.get $acc0))))
                    (local.set $sum
                      (f32.add (f32x4.extract_lane 0 (local.get $acc0)) (f32x4.extract_lane 1 (local.get $acc0))))
                    (if (i32.gt_u (local.get $rest) (i32.const 0))
                      (then
                        (local.set $sum
                          (f32.add (local.get $sum) (f32.mul (f32.load (local.get $x)) (f32.load (local.get $c)))))))
                    (if (i32.gt_u (local.get $rest) (i32.const 1))
                      (then
                        (local.set $sum
                          (f32.add (local.get $sum)
                            (f32.mul (f32.load offset=8 (local.get $x)) (f32.load offset=4 (local.get $c)))))))
                    (if (i32.gt_u (local.get $rest) (i32.const 2))
                      (then
                        (local.set $sum
                          (f32.add (local.get $sum)
                            (f32.mul (f32.load offset=16 (local.get $x)) (f32.load offset=8 (local.get $c)))))))
                    (if (i32.ge_s (local.get $extra) (i32.const 0))
                      (then
                        (local.set $sum
                          (f32.add (local.get $sum) (f32.mul (f32.load (local.get $xe)) (local.get $extraWeight))))))
                    (local.set $rounded (f64.floor (f64.add (f64.promote_f32 (local.get $sum)) (f64.const 0.5))))
                    (i32.store16 (local.get $dst)
                      (i32.trunc_f64_s
                        (f64.min (f64.max (local.get $rounded) (f64.const -32768)) (f64.const 32767))))
                    (local.set $dst (i32.add (local.get $dst) (local.get $outStep)))
                    (local.set $x0 (i32.add (local.get $x0) (local.get $inStep)))
                    (local.set $xe (i32.add (local.get $xe) (local.get $inStep)))
                    (br $stride)))))))

        ;; The next output's row: the phase steps by down mod up, the anchor by down / up (and one
        ;; more when the phase wraps).
        (local.set $index (i32.add (local.get $index) (local.get $anchorStep)))
        (local.set $phase (i32.add (local.get $phase) (local.get $phaseStep)))
        (if (i32.ge_u (local.get $phase) (local.get $up))
          (then
            (local.set $phase (i32.sub (local.get $phase) (local.get $up)))
            (local.set $index (i32.add (local.get $index) (i32.const 1)))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $phases)))))
