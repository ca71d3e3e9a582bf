// Validates every object of rendered Kubernetes YAML (stdin) with npm kubernetes-models: each object through the model
// of its apiVersion and kind (the JSON schemas of a current Kubernetes release), which catches missing required
// fields and wrong types. One line per object; exit 1 on the first object that fails or has no model.
// usage: kubectl kustomize k8s/overlays/s3 | node validate-models.mjs
import { parseAllDocuments } from "yaml";

let input = "";
for await (const chunk of process.stdin) {
  input += chunk;
}
let failed = false;
for (const document of parseAllDocuments(input)) {
  const object = document.toJS();
  if (!object) {
    continue;
  }
  const name = `${object.kind}/${object.metadata?.name}`;
  let model;
  try {
    model = (await import(`kubernetes-models/${object.apiVersion}/${object.kind}`))[object.kind];
  } catch (e) {
    console.log(`no model ${name} (${object.apiVersion}): ${e.message}`);
    failed = true;
    continue;
  }
  try {
    new model(object).validate();
    console.log(`valid ${name}`);
  } catch (e) {
    console.log(`invalid ${name}: ${e.message}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
