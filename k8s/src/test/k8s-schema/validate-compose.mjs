// Validates docker-compose.yml against the Compose Specification's JSON schema (compose-spec.json, from
// github.com/compose-spec/compose-spec, Apache-2.0), printing one line per problem.
import fs from "node:fs";
import yaml from "js-yaml";
import Ajv from "ajv";
import addFormats from "ajv-formats";
const schema = JSON.parse(fs.readFileSync(new URL("./compose-spec.json", import.meta.url), "utf8"));
const ajv = new Ajv({allErrors: true, strict: false});
addFormats(ajv);
delete schema.$schema; // "https://json-schema.org/draft-07/schema": draft-07, which Ajv knows by its http URI
const validate = ajv.compile(schema);
const compose = yaml.load(fs.readFileSync(process.argv[2], "utf8"), {schema: yaml.DEFAULT_SCHEMA});
if (validate(compose)) {
  console.log("valid");
} else {
  for (const e of validate.errors) console.log(`${e.instancePath || "/"}: ${e.message} ${JSON.stringify(e.params)}`);
  console.log(`${validate.errors.length} invalid`);
  process.exit(1);
}
