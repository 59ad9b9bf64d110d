import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseServeArgs, type ServeFlags } from './flags.js';
import { dockerStages, parseDockerfile } from './test-support/dockerfile.js';

const deployDir = fileURLToPath(new URL('../../../deploy/', import.meta.url));

/** Every object in deploy/k8s/*.yaml, by kind. */
function manifests(): Map<string, Record<string, unknown>> {
  const byKind = new Map<string, Record<string, unknown>>();
  for (const file of readdirSync(`${deployDir}k8s`).filter((name) => name.endsWith('.yaml'))) {
    for (const document of parseAllDocuments(readFileSync(`${deployDir}k8s/${file}`, 'utf8'))) {
      expect(document.errors, file).toEqual([]);
      const object = document.toJS() as Record<string, unknown>;
      byKind.set(String(object.kind), object);
    }
  }
  return byKind;
}

/** Validators from the Kubernetes OpenAPI schemas (kubernetes-models): each throws naming the bad field. */
const schemaCheck: Record<string, (object: Record<string, unknown>) => void> = {
  Deployment: (object) => new Deployment(object as never).validate(),
  Service: (object) => new Service(object as never).validate(),
  Ingress: (object) => new Ingress(object as never).validate(),
  PodDisruptionBudget: (object) => new PodDisruptionBudget(object as never).validate(),
  HorizontalPodAutoscaler: (object) => new HorizontalPodAutoscaler(object as never).validate(),
};

function serveFlags(args: readonly string[]): ServeFlags {
  const flags = parseServeArgs(args);
  if ('error' in flags || 'help' in flags) throw new Error(`the CLI refuses ${args.join(' ')}`);
  return flags;
}

describe('deploy/k8s', () => {
  const objects = manifests();
  const deployment = new Deployment(objects.get('Deployment') as never);
  const pod = deployment.spec?.template.spec;
  const container = pod?.containers[0];
  const podLabels = deployment.spec?.template.metadata?.labels ?? {};

  it('holds a Deployment, Service, Ingress, PodDisruptionBudget and HPA, each valid against the Kubernetes schema', () => {
    expect([...objects.keys()].sort()).toEqual(Object.keys(schemaCheck).sort());
    for (const [kind, object] of objects) expect(() => schemaCheck[kind]?.(object), kind).not.toThrow();
  });

  it('the schema check catches a wrong manifest', () => {
    const broken = structuredClone(objects.get('Deployment')) as { spec: { replicas: unknown } };
    broken.spec.replicas = 'two';
    expect(() => schemaCheck.Deployment?.(broken as never)).toThrow(/replicas/);
  });

  it('runs callwire serve with flags the CLI accepts, metrics on a port of their own', () => {
    const flags = serveFlags(container?.args ?? []);
    expect(flags.metrics).toEqual({ port: 9464 });
    const ports = new Map(container?.ports?.map((port) => [port.name, port.containerPort]));
    expect(ports.get('http')).toBe(flags.port);
    expect(ports.get('metrics')).toBe(9464);
  });

  it('probes readiness on /readyz and liveness on /healthz of the serve port', () => {
    expect(container?.readinessProbe?.httpGet).toMatchObject({ path: '/readyz', port: 'http' });
    expect(container?.livenessProbe?.httpGet).toMatchObject({ path: '/healthz', port: 'http' });
  });

  it('gives the pod more grace than the preStop sleep plus the drain plus ending the calls left', () => {
    const flags = serveFlags(container?.args ?? []);
    const command = container?.lifecycle?.preStop?.exec?.command ?? [];
    expect(command[0]).toBe('sleep');
    const preStopSeconds = Number(command[1]);
    expect(preStopSeconds).toBeGreaterThan(0);
    // close() gives the calls left and their hang-ups up to 10 s (shutdownTimeoutMs).
    expect(pod?.terminationGracePeriodSeconds).toBeGreaterThan(
      preStopSeconds + flags.drainTimeoutSeconds + 10,
    );
  });

  it('runs as non-root and rolls out without losing capacity', () => {
    expect(pod?.securityContext?.runAsNonRoot).toBe(true);
    expect(pod?.securityContext?.runAsUser).toBeGreaterThan(0);
    expect(container?.securityContext?.allowPrivilegeEscalation).toBe(false);
    expect(deployment.spec?.strategy?.rollingUpdate?.maxUnavailable).toBe(0);
  });

  it('points the Service, PodDisruptionBudget and HPA at the Deployment and its pods', () => {
    const service = new Service(objects.get('Service') as never);
    expect(service.spec?.selector).toEqual(podLabels);
    expect(service.spec?.ports?.[0]?.targetPort).toBe('http');
    const budget = new PodDisruptionBudget(objects.get('PodDisruptionBudget') as never);
    expect(budget.spec?.selector?.matchLabels).toEqual(podLabels);
    const hpa = new HorizontalPodAutoscaler(objects.get('HorizontalPodAutoscaler') as never);
    expect(hpa.spec?.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: deployment.metadata?.name });
    expect(hpa.spec?.minReplicas).toBeGreaterThanOrEqual(2);
    const ingress = new Ingress(objects.get('Ingress') as never);
    expect(ingress.spec?.rules?.[0]?.http?.paths[0]?.backend.service?.name).toBe(service.metadata?.name);
  });
});

describe('deploy/Dockerfile', () => {
  const instructions = parseDockerfile(readFileSync(`${deployDir}Dockerfile`, 'utf8'));
  const stages = dockerStages(instructions);
  const runtime = stages.at(-1) ?? [];
  const last = (keyword: string) => runtime.filter((instruction) => instruction.keyword === keyword).at(-1);
  const jsonArray = (keyword: string) => JSON.parse(last(keyword)?.argument ?? '[]') as string[];

  it('builds in one stage and runs from another, both on node:20-slim', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage[0]?.argument).toMatch(/^node:20-slim\b/);
    expect(runtime.some((instruction) => /--from=build\b/.test(instruction.argument))).toBe(true);
    // Only the build output reaches the runtime stage: no source tree, no install there.
    expect(runtime.filter((instruction) => instruction.keyword === 'RUN')).toEqual([]);
    expect(
      runtime.filter(
        (instruction) => instruction.keyword === 'COPY' && !instruction.argument.includes('--from'),
      ),
    ).toEqual([]);
  });

  it('ships only @callwire/cli with its production dependencies, which hold no test kit', () => {
    const build = instructions.filter((instruction) => instruction.keyword === 'RUN').map((i) => i.argument);
    expect(build.join('\n')).toMatch(/--filter @callwire\/cli deploy --prod/);
    const cli = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(cli.dependencies)).not.toContain('@callwire/testing');
    expect(Object.keys(cli.dependencies)).not.toContain('@callwire/examples');
  });

  it('runs as a non-root user', () => {
    expect(last('USER')?.argument).toBeDefined();
    expect(last('USER')?.argument).not.toMatch(/^(root|0)(:|$)/);
  });

  it('checks /healthz, and starts callwire serve with flags the CLI accepts', () => {
    expect(last('HEALTHCHECK')?.argument).toMatch(/\/healthz/);
    expect(jsonArray('ENTRYPOINT')).toEqual(['node', 'dist/bin.js']);
    const flags = serveFlags(jsonArray('CMD'));
    expect(last('EXPOSE')?.argument.split(/\s+/)).toEqual(
      expect.arrayContaining([String(flags.port), String((flags.metrics as { port: number }).port)]),
    );
    expect(last('HEALTHCHECK')?.argument).toContain(`:${flags.port}/healthz`);
    expect(last('STOPSIGNAL')?.argument).toBe('SIGTERM');
  });
});
