// Package yamlerr reads the place out of a gopkg.in/yaml.v3 error, so that
// every YAML input (.casascan.yaml, custom checks, YAML asset listings)
// names the line of a syntax error the same way.
package yamlerr

import (
	"regexp"
	"strconv"
	"strings"
)

var lineMsg = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// Split returns the line a yaml.v3 error names ("yaml: line 7: ...") and
// its message without the "yaml: " and "line N: " prefixes; line is 0
// when the error names none.
func Split(err error) (line int, msg string) {
	s := err.Error()
	if m := lineMsg.FindStringSubmatch(s); m != nil {
		line, _ = strconv.Atoi(m[1])
		return line, m[2]
	}
	return 0, strings.TrimPrefix(s, "yaml: ")
}
