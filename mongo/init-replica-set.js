// Run as root at every docker compose up, against mongo:7 started with --replSet my-replica-set and --keyFile
// (docker-compose's mongo-init); idempotent. It does what the tutorial did by hand: the replica set, the collections,
// and logistics-cdc's role and user, whose password compose's secrets service made (or took from .env.local).
const fs = require("fs");
try {
  rs.status();
} catch (e) {
  rs.initiate({_id: "my-replica-set", members: [{_id: 0, host: "mongo:27017"}]});
}
while (!db.hello().isWritablePrimary) {
  sleep(500);
}
const logistics = db.getSiblingDB("logistics");
// debezium_signal: incremental snapshots' watermarks (./pipeline snapshot orders); logistics-cdc cannot create it.
["orders", "shipments", "debezium_signal"].forEach(c => {
  if (!logistics.getCollectionNames().includes(c)) {
    logistics.createCollection(c);
  }
});
const admin = db.getSiblingDB("admin");
// logistics-cdc watches the logistics database alone (capture.scope=database): Debezium's documented minimum for that
// is read on it (find, listCollections, changeStream) and inserts into its signal collection (the watermarks).
// Nothing on other databases, nothing written to orders or shipments.
const captureRole = {
  privileges: [{resource: {db: "logistics", collection: "debezium_signal"}, actions: ["insert"]}],
  roles: [{role: "read", db: "logistics"}]
};
if (admin.getRole("dbz-role")) {
  admin.updateRole("dbz-role", captureRole);
} else {
  admin.createRole(Object.assign({role: "dbz-role"}, captureRole));
}
const password = fs.readFileSync("/run/secrets/pipeline/logistics-cdc-password", "utf8").trim();
if (admin.getUser("dbz-user")) {
  admin.updateUser("dbz-user", {pwd: password, roles: [{role: "dbz-role", db: "admin"}]});
} else {
  admin.createUser({user: "dbz-user", pwd: password, roles: [{role: "dbz-role", db: "admin"}]});
}
print("my-replica-set ready: dbz-user (read on logistics, insert into logistics.debezium_signal), logistics.orders, logistics.shipments");
