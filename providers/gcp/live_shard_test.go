package gcp

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestShardOf(t *testing.T) {
	var projects []string
	for i := 0; i < 23; i++ {
		projects = append(projects, fmt.Sprintf("p%02d", i))
	}
	for _, count := range []int{1, 2, 3, 7, 23, 40} {
		t.Run(fmt.Sprint(count), func(t *testing.T) {
			seen := map[string]int{}
			minSize, maxSize := len(projects), 0
			for i := 0; i < count; i++ {
				shard := shardOf(projects, i, count)
				minSize, maxSize = min(minSize, len(shard)), max(maxSize, len(shard))
				for _, p := range shard {
					seen[p]++
				}
				if again := shardOf(projects, i, count); !cmp.Equal(shard, again) {
					t.Errorf("shard %d differs between calls", i)
				}
			}
			for _, p := range projects {
				if seen[p] != 1 {
					t.Errorf("%s is in %d shards, want 1", p, seen[p])
				}
			}
			if maxSize-minSize > 1 {
				t.Errorf("shard sizes from %d to %d, want within one", minSize, maxSize)
			}
		})
	}
}

func TestShardFromEnv(t *testing.T) {
	tests := []struct {
		name         string
		env          []string
		index, count int
		ok           bool
	}{
		{"none", []string{"HOME=/root"}, 0, 0, false},
		{"cloud run", []string{"CLOUD_RUN_TASK_INDEX=2", "CLOUD_RUN_TASK_COUNT=5"}, 2, 5, true},
		{"cloud run single task", []string{"CLOUD_RUN_TASK_INDEX=0", "CLOUD_RUN_TASK_COUNT=1"}, 0, 1, true},
		{"kubernetes", []string{"JOB_COMPLETION_INDEX=3", "CASASCAN_SHARD_COUNT=4"}, 3, 4, true},
		{"kubernetes without count", []string{"JOB_COMPLETION_INDEX=3"}, 0, 0, false},
		{"cloud run wins", []string{"JOB_COMPLETION_INDEX=1", "CASASCAN_SHARD_COUNT=9", "CLOUD_RUN_TASK_INDEX=0", "CLOUD_RUN_TASK_COUNT=2"}, 0, 2, true},
		{"later entry wins", []string{"CLOUD_RUN_TASK_INDEX=0", "CLOUD_RUN_TASK_COUNT=2", "CLOUD_RUN_TASK_INDEX=1"}, 1, 2, true},
		{"index out of range", []string{"CLOUD_RUN_TASK_INDEX=5", "CLOUD_RUN_TASK_COUNT=5"}, 0, 0, false},
		{"negative index", []string{"JOB_COMPLETION_INDEX=-1", "CASASCAN_SHARD_COUNT=4"}, 0, 0, false},
		{"not a number", []string{"CLOUD_RUN_TASK_INDEX=x", "CLOUD_RUN_TASK_COUNT=2"}, 0, 0, false},
		{"zero count", []string{"CLOUD_RUN_TASK_INDEX=0", "CLOUD_RUN_TASK_COUNT=0"}, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i, c, ok := ShardFromEnv(tt.env)
			if i != tt.index || c != tt.count || ok != tt.ok {
				t.Errorf("ShardFromEnv = %d, %d, %v; want %d, %d, %v", i, c, ok, tt.index, tt.count, tt.ok)
			}
		})
	}
}
