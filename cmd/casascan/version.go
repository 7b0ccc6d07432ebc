package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// buildInfo says which casascan this is. Release builds set it through
// -ldflags -X (see .goreleaser.yaml); `go install` builds fall back to the
// module version and VCS stamp Go records in the binary.
type buildInfo struct {
	Version   string // semantic version without a leading v ("1.2.3", "0.0.0-dev")
	Commit    string
	Date      string
	GoVersion string
	Platform  string // GOOS/GOARCH
}

func currentBuild() buildInfo {
	var bi *debug.BuildInfo
	if info, ok := debug.ReadBuildInfo(); ok {
		bi = info
	}
	return resolveBuild(version, commit, date, bi)
}

// resolveBuild prefers the ldflags values and fills what they leave empty
// from the build info Go records:
//
//   - go install module@v1.2.3: Main.Version is the tag; the module zip has
//     no VCS stamp, so the commit is named by the tag it was built from.
//   - go install module@<pseudo-version> or go build in a clone (Go 1.24+
//     stamps Main.Version from the VCS): the pseudo-version, whose last
//     part is the commit; vcs.revision has the full hash.
//   - a clone build that records only vcs.revision (-buildvcs with an
//     older main version of "(devel)"): 0.0.0-dev+<short commit>.
//
// Only a build with no information at all (go run, -buildvcs=false) is
// 0.0.0-dev with an unknown commit.
func resolveBuild(ver, com, dat string, bi *debug.BuildInfo) buildInfo {
	b := buildInfo{Version: ver, Commit: com, Date: dat, GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	mainVersion := ""
	if bi != nil {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			mainVersion = v
		}
		modified := false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if b.Commit == "" {
					b.Commit = s.Value
				}
			case "vcs.time":
				if b.Date == "" {
					b.Date = s.Value
				}
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if modified && com == "" && b.Commit != "" {
			b.Commit += "-dirty"
		}
		if bi.GoVersion != "" {
			b.GoVersion = bi.GoVersion
		}
	}
	if b.Version == "" {
		b.Version = mainVersion
	}
	if b.Commit == "" && mainVersion != "" {
		if rev := pseudoRevision(mainVersion); rev != "" {
			b.Commit = rev
		} else {
			b.Commit = "tag " + mainVersion
		}
	}
	if b.Version == "" && b.Commit != "" {
		b.Version = "0.0.0-dev+" + shortCommit(b.Commit)
	}
	// SARIF's semanticVersion wants a bare semantic version.
	b.Version = strings.TrimPrefix(b.Version, "v")
	if b.Version == "" {
		b.Version = "0.0.0-dev"
	}
	for _, f := range []*string{&b.Commit, &b.Date} {
		if *f == "" {
			*f = "unknown"
		}
	}
	return b
}

// pseudoRevision returns the commit a Go pseudo-version names
// (v0.0.0-20260102030405-0123456789ab, v1.2.4-0.20260102030405-0123456789ab,
// optionally +dirty), or "".
func pseudoRevision(v string) string {
	v, _, _ = strings.Cut(v, "+")
	i := strings.LastIndex(v, "-")
	if i < 0 {
		return ""
	}
	rev, rest := v[i+1:], v[:i]
	if len(rev) != 12 || strings.Trim(rev, "0123456789abcdef") != "" {
		return ""
	}
	j := strings.LastIndexAny(rest, "-.")
	if j < 0 || len(rest)-j-1 != 14 || strings.Trim(rest[j+1:], "0123456789") != "" {
		return ""
	}
	return rev
}

// shortCommit is the first 12 characters of a commit hash, as Go's
// pseudo-versions write it ("-dirty" kept).
func shortCommit(c string) string {
	hash, dirty := strings.CutSuffix(c, "-dirty")
	if len(hash) > 12 {
		hash = hash[:12]
	}
	if dirty {
		return hash + ".dirty"
	}
	return hash
}

func (c *cli) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit, build date and Go version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			b := c.build
			_, err := fmt.Fprintf(c.stdout, "casascan %s\ncommit: %s\ndate:   %s\ngo:     %s %s\n",
				b.Version, b.Commit, b.Date, b.GoVersion, b.Platform)
			return err
		},
	}
}
