/**
 * The Kubernetes manifests (deploy/k8s/*.yaml) against the Kubernetes API schema, with kubernetes-models (the
 * OpenAPI schemas of the Kubernetes releases, validated by ajv): every document is a known kind whose fields have
 * the types, required fields and allowed values the API takes: those mistakes fail here instead of at
 * `kubectl apply` on a user's cluster. (The published schemas allow unknown fields, so a misspelled optional field is
 * not caught: the server's strict field validation does that.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../lib/data/paths.ts';

const K8S = join(REPO_ROOT, 'deploy', 'k8s');
const KINDS: Record<string, (obj: object) => { validate(): void }> = { 'batch/v1 Job': (obj) => new Job(obj as never) };

function documents(file: string): { apiVersion: string; kind: string }[] {
  return parseAllDocuments(readFileSync(join(K8S, file), 'utf8')).map((d) => {
    assert.deepEqual(d.errors, [], `${file}: not valid YAML`);
    return d.toJS() as { apiVersion: string; kind: string };
  });
}

function validate(obj: { apiVersion: string; kind: string }, where: string): void {
  const make = KINDS[`${obj.apiVersion} ${obj.kind}`];
  assert.ok(make, `${where}: ${obj.apiVersion} ${obj.kind} has no schema here (add it to KINDS)`);
  make(obj).validate();
}

test('every manifest in deploy/k8s validates against the Kubernetes API schema', () => {
  const files = readdirSync(K8S).filter((f) => f.endsWith('.yaml'));
  assert.deepEqual(files.sort(), ['count-job.yaml', 'merge-job.yaml']);
  for (const file of files) for (const [i, doc] of documents(file).entries()) validate(doc, `${file} document ${i + 1}`);
});

test('the schema check catches what kubectl would refuse: a value out of range, a wrong type, a missing required field', () => {
  const [job] = documents('count-job.yaml') as unknown as [{ apiVersion: string; kind: string; spec: Record<string, unknown> }];
  const broken = (spec: Record<string, unknown>) => () => validate({ ...job, spec: { ...job.spec, ...spec } } as never, 'test');
  assert.throws(broken({ completionMode: 'Sorted' }), /completionMode must be equal to one of the allowed values/);
  assert.throws(broken({ completions: 'eight' }), /completions must be integer/);
  const template = structuredClone(job.spec.template) as { spec: { containers: { name?: string }[] } };
  delete template.spec.containers[0].name;
  assert.throws(broken({ template }), /containers\/0 must have required property name/);
});
