package main

import (
	"bytes"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/casascan/casascan/internal/treefs"
	"github.com/casascan/casascan/scanner/report"
)

// namedReader gives report.MergeSARIF the file name as the user typed it,
// for its messages.
type namedReader struct {
	io.Reader
	name string
}

func (r namedReader) Name() string { return r.name }

func (c *cli) mergeCommand() *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "merge FILE.sarif...",
		Short: "Join the SARIF outputs of sharded scans into one run",
		Long: `Merge joins casascan SARIF files (the outputs of the shards of one live
scan, or of several roots) into the single run one unsharded scan writes:
rules united, results sorted, repeats dropped.`,
		Example: `  casascan merge shard-*.sarif --output casascan.sarif`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.merge(args, output)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "write the merged SARIF to `FILE` (default stdout; - is stdout); written atomically")
	return cmd
}

func (c *cli) merge(paths []string, output string) error {
	var inputs []io.Reader
	for _, p := range paths {
		// Only regular files, each within the size limit a scan reads.
		data, err := treefs.ReadRegular(c.abs(p), p, treefs.DefaultMaxFileSize)
		if err != nil {
			return usageErrorf("%v", err)
		}
		inputs = append(inputs, namedReader{Reader: bytes.NewReader(data), name: p})
	}
	var buf bytes.Buffer
	if err := report.MergeSARIF(&buf, inputs...); err != nil {
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
