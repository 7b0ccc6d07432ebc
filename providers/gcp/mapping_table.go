package gcp

// assetTypes is the one table from Cloud Asset Inventory asset types to
// their mapping; the entries live beside their service family
// (mapping_storage.go, mapping_compute.go, mapping_services.go,
// mapping_apps.go). A type that is not here is counted, never an error.
var assetTypes = map[string]*entry{
	"storage.googleapis.com/Bucket": bucketEntry,

	"cloudkms.googleapis.com/KeyRing":   keyRingEntry,
	"cloudkms.googleapis.com/CryptoKey": cryptoKeyEntry,

	"sqladmin.googleapis.com/Instance": sqlEntry,

	"bigquery.googleapis.com/Dataset": datasetEntry,
	"bigquery.googleapis.com/Table":   tableEntry,

	"pubsub.googleapis.com/Topic":        topicEntry,
	"pubsub.googleapis.com/Subscription": subscriptionEntry,

	"secretmanager.googleapis.com/Secret": secretEntry,

	"compute.googleapis.com/SslPolicy":                  sslPolicyEntry,
	"compute.googleapis.com/RegionSslPolicy":            sslPolicyEntry,
	"compute.googleapis.com/TargetHttpsProxy":           httpsProxyEntry,
	"compute.googleapis.com/RegionTargetHttpsProxy":     httpsProxyEntry,
	"compute.googleapis.com/TargetHttpProxy":            httpProxyEntry,
	"compute.googleapis.com/RegionTargetHttpProxy":      httpProxyEntry,
	"compute.googleapis.com/TargetSslProxy":             sslProxyEntry,
	"compute.googleapis.com/UrlMap":                     urlMapEntry,
	"compute.googleapis.com/RegionUrlMap":               urlMapEntry,
	"compute.googleapis.com/BackendService":             backendServiceEntry,
	"compute.googleapis.com/RegionBackendService":       backendServiceEntry,
	"compute.googleapis.com/NetworkEndpointGroup":       negEntry,
	"compute.googleapis.com/GlobalNetworkEndpointGroup": negEntry,
	"compute.googleapis.com/RegionNetworkEndpointGroup": negEntry,
	"compute.googleapis.com/Disk":                       diskEntry,
	"compute.googleapis.com/RegionDisk":                 diskEntry,
	"compute.googleapis.com/Snapshot":                   snapshotEntry,
	"compute.googleapis.com/Image":                      imageEntry,
	"compute.googleapis.com/MachineImage":               machineImageEntry,
	"compute.googleapis.com/Instance":                   instanceEntry,
	"compute.googleapis.com/InstanceTemplate":           instanceTemplateEntry,
	"compute.googleapis.com/RegionInstanceTemplate":     instanceTemplateEntry,

	"container.googleapis.com/Cluster":  gkeClusterEntry,
	"container.googleapis.com/NodePool": gkeNodePoolEntry,

	"redis.googleapis.com/Instance":              redisEntry,
	"spanner.googleapis.com/Instance":            spannerInstanceEntry,
	"spanner.googleapis.com/Database":            spannerDatabaseEntry,
	"bigtableadmin.googleapis.com/Instance":      bigtableInstanceEntry,
	"bigtableadmin.googleapis.com/Cluster":       bigtableClusterEntry,
	"bigtableadmin.googleapis.com/Table":         bigtableTableEntry,
	"dataproc.googleapis.com/Cluster":            dataprocClusterEntry,
	"artifactregistry.googleapis.com/Repository": artifactRepoEntry,
	"file.googleapis.com/Instance":               filestoreEntry,
	"logging.googleapis.com/LogBucket":           logBucketEntry,
	"firestore.googleapis.com/Database":          firestoreEntry,
	"alloydb.googleapis.com/Cluster":             alloydbClusterEntry,

	"dataflow.googleapis.com/Job":         dataflowJobEntry,
	"composer.googleapis.com/Environment": composerEnvironmentEntry,
	"aiplatform.googleapis.com/Dataset":   vertexDatasetEntry,
	"notebooks.googleapis.com/Instance":   notebooksInstanceEntry,

	"cloudfunctions.googleapis.com/CloudFunction": functionV1Entry,
	"cloudfunctions.googleapis.com/Function":      functionV2Entry,
	"run.googleapis.com/Service":                  runServiceEntry,
	"run.googleapis.com/Job":                      runJobEntry,
	"appengine.googleapis.com/Version":            appEngineVersionEntry,

	"iam.googleapis.com/ServiceAccountKey":          saKeyEntry,
	"iam.googleapis.com/ServiceAccount":             serviceAccountEntry,
	"cloudscheduler.googleapis.com/Job":             schedulerJobEntry,
	"cloudtasks.googleapis.com/Queue":               tasksQueueEntry,
	"monitoring.googleapis.com/NotificationChannel": notificationChannelEntry,

	"cloudresourcemanager.googleapis.com/Project":      projectEntry,
	"cloudresourcemanager.googleapis.com/Folder":       folderEntry,
	"cloudresourcemanager.googleapis.com/Organization": organizationEntry,
}
