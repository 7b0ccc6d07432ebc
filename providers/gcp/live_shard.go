package gcp

import (
	"strconv"
	"strings"
)

// shardOf returns shard index of count of a sorted project list: every
// count-th project starting at index. Round-robin over the sorted list puts
// every project in exactly one shard and keeps shard sizes within one of
// each other, whatever the project IDs look like.
func shardOf(sorted []string, index, count int) []string {
	if count <= 1 {
		return sorted
	}
	var out []string
	for i := index; i < len(sorted); i += count {
		out = append(out, sorted[i])
	}
	return out
}

// Environment variables ShardFromEnv reads.
const (
	// EnvCloudRunTaskIndex and EnvCloudRunTaskCount are set by Cloud Run jobs
	// on every task.
	EnvCloudRunTaskIndex = "CLOUD_RUN_TASK_INDEX"
	EnvCloudRunTaskCount = "CLOUD_RUN_TASK_COUNT"
	// EnvJobCompletionIndex is set by Kubernetes on the pods of an Indexed
	// Job. Kubernetes does not pass the completion count, so the Job spec
	// sets EnvShardCount to spec.completions.
	EnvJobCompletionIndex = "JOB_COMPLETION_INDEX"
	EnvShardCount         = "CASASCAN_SHARD_COUNT"
)

// ShardFromEnv reads this task's shard from env (os.Environ form,
// "NAME=value", later entries winning): CLOUD_RUN_TASK_INDEX and
// CLOUD_RUN_TASK_COUNT on Cloud Run jobs, else JOB_COMPLETION_INDEX with
// CASASCAN_SHARD_COUNT on a Kubernetes Indexed Job. ok is false when no
// complete, valid pair is present (then the CLI scans unsharded, or uses
// --shard).
func ShardFromEnv(env []string) (index, count int, ok bool) {
	vars := map[string]string{}
	for _, kv := range env {
		if k, v, found := strings.Cut(kv, "="); found {
			vars[k] = strings.TrimSpace(v)
		}
	}
	pairs := [][2]string{
		{EnvCloudRunTaskIndex, EnvCloudRunTaskCount},
		{EnvJobCompletionIndex, EnvShardCount},
	}
	for _, p := range pairs {
		is, ok1 := vars[p[0]]
		cs, ok2 := vars[p[1]]
		if !ok1 && !ok2 {
			continue
		}
		i, err1 := strconv.Atoi(is)
		c, err2 := strconv.Atoi(cs)
		if err1 != nil || err2 != nil || c < 1 || i < 0 || i >= c {
			return 0, 0, false
		}
		return i, c, true
	}
	return 0, 0, false
}
