// Validates Kubernetes manifests against the API's schemas (kubernetes-models), printing one line per problem.
import fs from "node:fs";
import yaml from "js-yaml";
const kinds = {
  "apps/v1": await import("kubernetes-models/apps/v1"),
  "v1": await import("kubernetes-models/v1"),
  "networking.k8s.io/v1": await import("kubernetes-models/networking.k8s.io/v1"),
};
let problems = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of yaml.loadAll(fs.readFileSync(file, "utf8"))) {
    if (!doc) continue;
    const group = kinds[doc.apiVersion];
    const Model = group && group[doc.kind];
    if (!Model) { console.log(`${file}: ${doc.apiVersion} ${doc.kind}: no schema here`); continue; }
    try { new Model(doc).validate(); } catch (e) { problems++; console.log(`${file}: ${doc.kind} ${doc.metadata?.name}: ${e.message}`); }
  }
}
console.log(problems === 0 ? "valid" : `${problems} invalid`);
process.exit(problems === 0 ? 0 : 1);
