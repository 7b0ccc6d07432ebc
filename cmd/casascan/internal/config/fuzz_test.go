package config

import (
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary bytes to the decoder: the file comes from the
// scanned tree, which is untrusted, so it must never panic, and every
// rejection must name the file.
func FuzzParse(f *testing.F) {
	f.Add([]byte(fullFile))
	f.Add([]byte("sevrity: [HIGH]\nexit-code: 900\n"))
	f.Add([]byte("a: &x [1]\nb: *x\n<<: *x\n"))
	f.Add([]byte("exclude: ['**/[', '**/**/a']\nscope-labels: {a: [b]}\n"))
	// Hostile shapes, small: many ** (exponential for a backtracking
	// matcher), deep nesting.
	f.Add([]byte("exclude: ['" + strings.Repeat("**/*/", 10) + "']\n"))
	f.Add([]byte("exclude: " + strings.Repeat("[", 300) + strings.Repeat("]", 300) + "\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		c, err := Parse(FileName, src)
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, FileName+":") {
					t.Fatalf("error line %q does not name the file", line)
				}
			}
			return
		}
		if c.ExitCode < 0 || c.ExitCode > 125 {
			t.Fatalf("exit code %d accepted", c.ExitCode)
		}
		for _, p := range c.Exclude {
			if ValidatePattern(p) != nil {
				t.Fatalf("malformed pattern %q accepted", p)
			}
			Match(p, deepPath)
		}
	})
}

var deepPath = strings.Repeat("d/", 40) + "main.tf"
