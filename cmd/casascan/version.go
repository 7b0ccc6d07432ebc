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
// from the build info.
func resolveBuild(ver, com, dat string, bi *debug.BuildInfo) buildInfo {
	b := buildInfo{Version: ver, Commit: com, Date: dat, GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi != nil {
		if b.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			b.Version = bi.Main.Version
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
