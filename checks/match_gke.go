package checks

import (
	"strconv"
	"strings"

	"github.com/casascan/casascan/scanner"
)

// This file decides where a GKE node pool's disks are judged, so that each
// pool is judged once whether it appears as the cluster's node_config, a
// node_pool block (or entry) of the cluster, or a separate
// google_container_node_pool resource or asset.
//
//   - node_config is the default node pool's configuration. When the
//     cluster lists node pools, it is no pool of its own: in Terraform the
//     API then creates only the listed pools, and in a plan, a state or an
//     export node_config mirrors the first listed pool.
//   - A plan, a state or an export lists every pool of a cluster in
//     node_pool, those managed as separate resources included. A node_pool
//     entry is judged on the cluster only when no google_container_node_pool
//     of the same cluster and name is in the graph: the separate resource
//     (with its own address and asset name) judges it.

// gkePoolElsewhere reports whether the node disks a key path of a
// google_container_cluster stands for are judged at another place. p, when
// not nil, is an UNKNOWN to report in place of a failure at path: the
// cluster's node pools come from a dynamic block whose for_each is not
// known, so node_config may or may not be a pool of its own.
func gkePoolElsewhere(g *scanner.Graph, r *scanner.Resource, path string) (elsewhere bool, p *scanner.Problem) {
	if r.Type != "google_container_cluster" {
		return false, nil
	}
	pools := r.Body.Reach("node_pool.*")
	if path == gkeDefaultPoolKey {
		for _, b := range pools.Blocks {
			if !b.Unexpanded && !b.MaybeMissing {
				return true, nil
			}
		}
		if len(pools.Blocks) > 0 || pools.Whole != nil {
			u := scanner.Unknown(path, "the cluster's node_pool blocks are not known before apply: if there are none, node_config is the default node pool's, and %s is not set", path)
			return false, &u
		}
		return false, nil
	}
	i, ok := nodePoolIndex(path)
	if !ok || i >= len(pools.Blocks) || pools.Blocks[i].Body == nil {
		return false, nil
	}
	name, ok := pools.Blocks[i].Body.Attrs["name"].Str()
	if !ok || name == "" || !pools.Blocks[i].Body.Attrs["name"].Known() {
		return false, nil
	}
	for _, np := range g.OfType("google_container_node_pool") {
		if n, ok := knownString(np.Slot("name")); ok && n == name && poolOfCluster(g, np, r) {
			return true, nil
		}
	}
	return false, nil
}

// nodePoolIndex reads N from "node_pool.N.node_config...".
func nodePoolIndex(path string) (int, bool) {
	rest, ok := strings.CutPrefix(path, "node_pool.")
	if !ok {
		return 0, false
	}
	n, _, _ := strings.Cut(rest, ".")
	i, err := strconv.Atoi(n)
	return i, err == nil
}

// poolOfCluster reports whether a google_container_node_pool belongs to a
// cluster: its cluster refers to it, or, written as a literal name or id,
// names it, with no known location or project that differs.
func poolOfCluster(g *scanner.Graph, np, cluster *scanner.Resource) bool {
	if refs := g.Follow(np, "cluster", "google_container_cluster"); len(refs) > 0 {
		return len(refs) == 1 && refs[0] == cluster
	}
	c, ok := knownString(np.Slot("cluster"))
	if !ok || c == "" {
		return false
	}
	if i := strings.LastIndex(c, "/clusters/"); i >= 0 {
		c = c[i+len("/clusters/"):]
	}
	if name, ok := knownString(cluster.Slot("name")); !ok || name != c {
		return false
	}
	for _, attr := range []string{"location", "project"} {
		a, aok := knownString(np.Slot(attr))
		b, bok := knownString(cluster.Slot(attr))
		if aok && bok && a != "" && b != "" && a != b {
			return false
		}
	}
	return true
}
