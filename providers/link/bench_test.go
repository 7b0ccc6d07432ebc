package link

import (
	"fmt"
	"testing"

	"github.com/casascan/casascan/scanner"
	"github.com/zclconf/go-cty/cty"
)

// benchGraphs builds a live graph of n keys, n topics and n SSL policies
// (topics by project number) and the declared graph that declares them:
// keys by attributes through their key ring's reference, topics by state
// id, policies by self link.
func benchGraphs(n int) (live, declared *scanner.Graph) {
	live, declared = &scanner.Graph{}, &scanner.Graph{}
	str := func(m map[string]string) *scanner.Body {
		b := scanner.NewBody()
		for k, v := range m {
			b.Attrs[k] = &scanner.Attr{Name: k, Value: cty.StringVal(v)}
		}
		return b
	}
	add := func(g *scanner.Graph, r *scanner.Resource) {
		if r.Body == nil {
			r.Body = scanner.NewBody()
		}
		r.Mode = scanner.Managed
		g.Resources = append(g.Resources, r)
	}
	ring := str(map[string]string{"name": "r", "location": "us", "project": "p"})
	add(declared, &scanner.Resource{Address: "google_kms_key_ring.r", Type: "google_kms_key_ring", Body: ring, Source: scanner.SourceTerraform})
	for i := 0; i < n; i++ {
		key := str(map[string]string{"name": fmt.Sprintf("k%d", i)})
		key.Attrs["key_ring"] = &scanner.Attr{Name: "key_ring", Value: cty.UnknownVal(cty.String), Refs: []string{"google_kms_key_ring.r"}}
		add(declared, &scanner.Resource{Address: fmt.Sprintf("google_kms_crypto_key.k[%d]", i), Type: "google_kms_crypto_key", Body: key, Source: scanner.SourceTerraform})
		add(declared, &scanner.Resource{Address: fmt.Sprintf("google_pubsub_topic.t[%d]", i), Type: "google_pubsub_topic", Source: scanner.SourcePlan,
			Body: str(map[string]string{"name": fmt.Sprintf("t%d", i), "id": fmt.Sprintf("projects/p/topics/t%d", i)})})
		add(declared, &scanner.Resource{Address: fmt.Sprintf("google_compute_ssl_policy.s[%d]", i), Type: "google_compute_ssl_policy", Source: scanner.SourcePlan,
			Body: str(map[string]string{"name": fmt.Sprintf("s%d", i), "self_link": fmt.Sprintf("https://www.googleapis.com/compute/v1/projects/p/global/sslPolicies/s%d", i)})})

		add(live, &scanner.Resource{Address: fmt.Sprintf("//cloudkms.googleapis.com/projects/p/locations/us/keyRings/r/cryptoKeys/k%d", i),
			Type: "google_kms_crypto_key", Project: "p", Source: scanner.SourceLive})
		add(live, &scanner.Resource{Address: fmt.Sprintf("//pubsub.googleapis.com/projects/123/topics/t%d", i),
			Type: "google_pubsub_topic", Project: "p", Source: scanner.SourceLive})
		add(live, &scanner.Resource{Address: fmt.Sprintf("//compute.googleapis.com/projects/p/global/sslPolicies/s%d", i),
			Type: "google_compute_ssl_policy", Project: "p", Source: scanner.SourceLive})
	}
	live.Index()
	declared.Index()
	return live, declared
}

// BenchmarkGraphs links 6,000 live resources with their 6,000 declarations.
func BenchmarkGraphs(b *testing.B) {
	live, declared := benchGraphs(2000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, matched, diags := Graphs([]*scanner.Graph{live}, []*scanner.Graph{declared})
		if matched != 6000 || len(diags) != 0 {
			b.Fatalf("matched %d, diagnostics %v; want 6000 and none", matched, diags)
		}
	}
}
