package scanner

import (
	"cmp"
	"runtime/debug"
	"slices"
)

// storeChunk is how many findings one chunk of a findingStore holds.
const storeChunk = 1024

// findingStore holds a session's findings in chunks of storeChunk, so that
// they never need one large block before the end, and turns them into the
// result's one sorted slice without holding them twice: it sorts them in
// place, then copies them out a chunk at a time, releasing the chunks as
// it goes.
type findingStore struct {
	chunks [][]Finding
	n      int
}

func (st *findingStore) add(fs []Finding) {
	for len(fs) > 0 {
		if len(st.chunks) == 0 || len(st.chunks[len(st.chunks)-1]) == storeChunk {
			st.chunks = append(st.chunks, make([]Finding, 0, storeChunk))
		}
		last := &st.chunks[len(st.chunks)-1]
		k := min(storeChunk-len(*last), len(fs))
		*last = append(*last, fs[:k]...)
		st.n += k
		fs = fs[k:]
	}
}

func (st *findingStore) at(i int32) *Finding { return &st.chunks[i/storeChunk][i%storeChunk] }

// releaseEvery is how many chunks result copies out between handing the
// memory of those it released back to the operating system: a large
// result is then never held twice. A store of fewer chunks is copied out
// at once.
const releaseEvery = 64

// result returns the findings deduplicated (dedupe) and sorted
// (SortFindings' order, ties in the order added), and empties the store.
func (st *findingStore) result() []Finding {
	order := dedupe(int32(st.n), st.at)
	slices.SortFunc(order, func(a, b int32) int {
		if c := findingCmp(st.at(a), st.at(b)); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	st.permute(order)
	m := len(order)
	order = nil
	large := len(st.chunks) > releaseEvery
	if large {
		debug.FreeOSMemory()
	}
	out := make([]Finding, m)
	for c := range st.chunks {
		if lo := c * storeChunk; lo < m {
			copy(out[lo:], st.chunks[c])
		}
		st.chunks[c] = nil
		if large && (c+1)%releaseEvery == 0 {
			debug.FreeOSMemory()
		}
	}
	st.chunks, st.n = nil, 0
	return out
}

// permute rearranges the store in place so that position k holds the
// finding that was at order[k], for every k < len(order); the findings
// not in order end up after them.
func (st *findingStore) permute(order []int32) {
	n := int32(st.n)
	from := make([]int32, 0, n) // from[k]: where position k's finding is now
	from = append(from, order...)
	in := make([]bool, n)
	for _, i := range order {
		in[i] = true
	}
	for i := range n {
		if !in[i] {
			from = append(from, i)
		}
	}
	in = nil
	done := make([]bool, n)
	for i := range n {
		if done[i] || from[i] == i {
			continue
		}
		tmp := *st.at(i)
		for j := i; ; {
			done[j] = true
			k := from[j]
			if k == i {
				*st.at(j) = tmp
				break
			}
			*st.at(j) = *st.at(k)
			j = k
		}
	}
}
