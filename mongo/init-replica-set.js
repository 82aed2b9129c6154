// Run once, as root, against a fresh mongo:7 started with --replSet my-replica-set and --keyFile (docker-compose's mongo-init).
// It does what the tutorial did by hand: the replica set, Debezium's role and user, the collections.
try {
  rs.status();
} catch (e) {
  rs.initiate({_id: "my-replica-set", members: [{_id: 0, host: "mongo:27017"}]});
}
while (!db.hello().isWritablePrimary) {
  sleep(500);
}
const admin = db.getSiblingDB("admin");
if (!admin.getRole("dbz-role")) {
  admin.createRole({
    role: "dbz-role",
    // Debezium opens one change stream on the whole deployment (capture.scope=deployment) and filters the
    // collections itself: that needs find and changeStream on every database's collections, not on the cluster.
    privileges: [
      {resource: {db: "", collection: ""}, actions: ["find", "changeStream"]},
      {resource: {cluster: true}, actions: ["listDatabases"]}
    ],
    roles: [
      {role: "read", db: "admin"},
      {role: "read", db: "config"},
      {role: "read", db: "local"},
      {role: "read", db: "logistics"}
    ]
  });
}
if (!admin.getUser("dbz-user")) {
  admin.createUser({user: "dbz-user", pwd: "dbz-pw", roles: [{role: "dbz-role", db: "admin"}]});
}
const logistics = db.getSiblingDB("logistics");
["orders", "shipments"].forEach(c => {
  if (!logistics.getCollectionNames().includes(c)) {
    logistics.createCollection(c);
  }
});
print("my-replica-set ready: dbz-user, logistics.orders, logistics.shipments");
