package main

import (
	"bytes"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/casascan/casascan/internal/safetext"
	"github.com/casascan/casascan/internal/treefs"
	"github.com/casascan/casascan/scanner/report"
)

// namedReader gives the report's merge functions the file name as the user
// typed it, for their messages, and the content read from the file, which
// they use as it is (Bytes) rather than copy it again.
type namedReader struct {
	io.Reader
	name string
	data []byte
}

func (r namedReader) Name() string  { return r.name }
func (r namedReader) Bytes() []byte { return r.data }

func (c *cli) mergeCommand() *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "merge FILE...",
		Short: "Join the SARIF, JSON or CSV outputs of sharded scans into one report",
		Long: `Merge joins casascan reports (the outputs of the shards of one live scan,
or of several roots) into the single report one unsharded scan writes:
SARIF rules united and results sorted; JSON findings and diagnostics sorted
and the summary recomputed; CSV rows sorted and the scope record joined.
Repeats are dropped. The format is read from the files' content (the
extension decides only when the content does not); every file must be in
the same format.`,
		Example: `  casascan merge shard-*.sarif --output casascan.sarif
  casascan merge shard-*.csv --output evidence.csv
  casascan merge shard-*.json --output casascan.json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.merge(args, output)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "write the merged report to `FILE` (default stdout; - is stdout); written atomically")
	return cmd
}

func (c *cli) merge(paths []string, output string) error {
	var inputs []io.Reader
	format := ""
	for _, p := range paths {
		// Only regular files, each within the size limit a scan reads.
		data, err := treefs.ReadRegular(c.abs(p), p, treefs.DefaultMaxFileSize)
		if err != nil {
			return usageErrorf("%v", err)
		}
		f, err := report.MergeFormat(p, data)
		if err != nil {
			return usageErrorf("reading %s: %v", safetext.Line(p), err)
		}
		if format == "" {
			format = f
		} else if f != format {
			return usageErrorf("%s is a %s report, %s a %s one: merge reports of one format", safetext.Line(p), f, safetext.Line(paths[0]), format)
		}
		inputs = append(inputs, namedReader{Reader: bytes.NewReader(data), name: p, data: data})
	}
	merge := map[string]func(io.Writer, ...io.Reader) error{
		"sarif": report.MergeSARIF, "json": report.MergeJSON, "csv": report.MergeCSV,
	}[format]
	var buf bytes.Buffer
	if err := merge(&buf, inputs...); err != nil {
		return usageErrorf("%v", err)
	}
	if output == "" || output == "-" {
		_, err := c.stdout.Write(buf.Bytes())
		return err
	}
	if err := writeFileAtomic(c.abs(output), buf.Bytes()); err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("writing %s: %w", output, err)}
	}
	return nil
}
