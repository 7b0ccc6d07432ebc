package checks

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casascan/casascan/providers/plan"
	"github.com/casascan/casascan/scanner"
	"github.com/google/go-cmp/cmp"
)

// planSEC004 is a plan of two clusters, one issuing client certificates
// (its master_auth sensitive for the client_key, as the provider marks it;
// the other leaving master_auth to the provider), and a Redis instance
// without AUTH.
const planSEC004 = `{
 "format_version": "1.2",
 "terraform_version": "1.9.5",
 "planned_values": {
  "root_module": {
   "resources": [
    {
     "address": "google_container_cluster.legacy",
     "mode": "managed",
     "type": "google_container_cluster",
     "name": "legacy",
     "provider_name": "registry.terraform.io/hashicorp/google",
     "schema_version": 2,
     "values": {
      "name": "legacy",
      "master_auth": [
       {
        "client_certificate_config": [
         {
          "issue_client_certificate": true
         }
        ]
       }
      ]
     },
     "sensitive_values": {
      "master_auth": [
       {
        "client_certificate_config": [
         {}
        ],
        "client_key": true
       }
      ]
     }
    },
    {
     "address": "google_container_cluster.modern",
     "mode": "managed",
     "type": "google_container_cluster",
     "name": "modern",
     "provider_name": "registry.terraform.io/hashicorp/google",
     "schema_version": 2,
     "values": {
      "name": "modern",
      "master_auth": []
     },
     "sensitive_values": {}
    },
    {
     "address": "google_redis_instance.cache",
     "mode": "managed",
     "type": "google_redis_instance",
     "name": "cache",
     "provider_name": "registry.terraform.io/hashicorp/google",
     "schema_version": 0,
     "values": {
      "name": "cache",
      "auth_enabled": false
     },
     "sensitive_values": {}
    }
   ]
  }
 },
 "resource_changes": [
  {
   "address": "google_container_cluster.legacy",
   "mode": "managed",
   "type": "google_container_cluster",
   "name": "legacy",
   "provider_name": "registry.terraform.io/hashicorp/google",
   "change": {
    "actions": [
     "create"
    ],
    "before": null,
    "after": {
     "name": "legacy",
     "master_auth": [
      {
       "client_certificate_config": [
        {
         "issue_client_certificate": true
        }
       ]
      }
     ]
    },
    "after_unknown": {
     "master_auth": [
      {
       "client_certificate": true,
       "client_key": true,
       "cluster_ca_certificate": true,
       "client_certificate_config": [
        {}
       ]
      }
     ]
    }
   }
  },
  {
   "address": "google_container_cluster.modern",
   "mode": "managed",
   "type": "google_container_cluster",
   "name": "modern",
   "provider_name": "registry.terraform.io/hashicorp/google",
   "change": {
    "actions": [
     "create"
    ],
    "before": null,
    "after": {
     "name": "modern"
    },
    "after_unknown": {
     "master_auth": true
    }
   }
  },
  {
   "address": "google_redis_instance.cache",
   "mode": "managed",
   "type": "google_redis_instance",
   "name": "cache",
   "provider_name": "registry.terraform.io/hashicorp/google",
   "change": {
    "actions": [
     "create"
    ],
    "before": null,
    "after": {
     "name": "cache",
     "auth_enabled": false
    },
    "after_unknown": {}
   }
  }
 ],
 "configuration": {
  "provider_config": {
   "google": {
    "name": "google",
    "full_name": "registry.terraform.io/hashicorp/google"
   }
  },
  "root_module": {
   "resources": [
    {
     "address": "google_container_cluster.legacy",
     "mode": "managed",
     "type": "google_container_cluster",
     "name": "legacy",
     "provider_config_key": "google",
     "expressions": {
      "name": {
       "constant_value": "legacy"
      },
      "master_auth": [
       {
        "client_certificate_config": [
         {
          "issue_client_certificate": {
           "constant_value": true
          }
         }
        ]
       }
      ]
     },
     "schema_version": 2
    },
    {
     "address": "google_container_cluster.modern",
     "mode": "managed",
     "type": "google_container_cluster",
     "name": "modern",
     "provider_config_key": "google",
     "expressions": {
      "name": {
       "constant_value": "modern"
      }
     },
     "schema_version": 2
    },
    {
     "address": "google_redis_instance.cache",
     "mode": "managed",
     "type": "google_redis_instance",
     "name": "cache",
     "provider_config_key": "google",
     "expressions": {
      "name": {
       "constant_value": "cache"
      },
      "auth_enabled": {
       "constant_value": false
      }
     },
     "schema_version": 0
    }
   ]
  }
 }
}`

// TestClusterAndRedisInPlan judges plan JSON: a master_auth the configuration
// leaves out is the provider's default (no certificate), and the message on
// a sensitive master_auth states the flag without showing redacted values.
func TestClusterAndRedisInPlan(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.json")
	if err := os.WriteFile(path, []byte(planSEC004), 0o600); err != nil {
		t.Fatal(err)
	}
	g, err := plan.Load(context.Background(), path, plan.Options{Base: dir})
	if err != nil {
		t.Fatal(err)
	}
	res := scanner.Run([]*scanner.Check{gcpSEC004, gcpACC007}, []*scanner.Graph{g}, scanner.Options{})
	got := map[string]string{}
	for _, f := range res.List() {
		got[f.CheckID+" "+f.Resource] = string(f.Status)
		if strings.Contains(f.Message, scanner.Redacted) {
			t.Errorf("%s: message %q shows a redacted value", f.CheckID, f.Message)
		}
	}
	want := map[string]string{
		"GCP-SEC-004 google_container_cluster.legacy": "FAIL",
		"GCP-SEC-004 google_container_cluster.modern": "PASS",
		"GCP-ACC-007 google_redis_instance.cache":     "FAIL",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}
