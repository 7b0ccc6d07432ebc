package plan

import (
	"bytes"
	"encoding/json"
)

// dupKey is a key that appears twice in one JSON object: encoding/json
// keeps only the last value, so the first would be dropped silently.
type dupKey struct {
	key  string
	line int // of the second occurrence
}

// maxDupKeys bounds how many duplicate keys are reported; maxDupDepth how
// deep objects are checked (deeper ones are left to the value depth limit).
const (
	maxDupKeys  = 20
	maxDupDepth = 256
)

// duplicateKeys finds keys repeated within one object of a JSON document,
// in one linear pass over its bytes. data is valid JSON (decode accepted
// it); on anything unexpected it stops and returns what it found.
func duplicateKeys(data []byte) []dupKey {
	var out []dupKey
	type frame struct {
		object bool
		keys   map[string]bool
	}
	var stack []frame
	line := 1
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '\n':
			line++
		case '{', '[':
			stack = append(stack, frame{object: c == '{'})
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case '"':
			end, escaped := stringEnd(data, i)
			if end < 0 {
				return out
			}
			raw := data[i : end+1]
			i = end
			if len(stack) == 0 || len(stack) > maxDupDepth || !stack[len(stack)-1].object || !followedByColon(data[end+1:]) {
				continue
			}
			key := string(raw[1 : len(raw)-1])
			if escaped {
				var s string
				if json.Unmarshal(raw, &s) == nil {
					key = s
				}
			}
			top := &stack[len(stack)-1]
			if top.keys == nil {
				top.keys = map[string]bool{}
			}
			if top.keys[key] {
				if out = append(out, dupKey{key: key, line: line}); len(out) == maxDupKeys {
					return out
				}
				continue
			}
			top.keys[key] = true
		}
	}
	return out
}

// stringEnd returns the index of the quote closing the string that opens at
// data[start], and whether it holds an escape; -1 when it is not closed.
func stringEnd(data []byte, start int) (int, bool) {
	escaped := false
	for j := start + 1; j < len(data); j++ {
		switch data[j] {
		case '\\':
			escaped = true
			j++
		case '"':
			return j, escaped
		}
	}
	return -1, escaped
}

func followedByColon(rest []byte) bool {
	rest = bytes.TrimLeft(rest, " \t\r\n")
	return len(rest) > 0 && rest[0] == ':'
}
