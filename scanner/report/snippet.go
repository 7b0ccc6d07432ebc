package report

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/casascan/casascan/scanner"
)

// Source lines around a finding in the text report, as trivy shows them:
// up to snippetContext lines before and after, the finding's own lines
// marked, at most snippetMaxLines in all. The lines come from the scanned
// tree, so each is made inert (clean), secret-shaped text is redacted
// (scanner.RedactText) and so is any long token, the value of an
// attribute whose name says it is a credential (or a generic value, data
// or content) is hidden, heredoc bodies are hidden, and a line is cut to
// the width.
const (
	snippetContext  = 2
	snippetMaxLines = 12
	// snippetMaxFile bounds the file a snippet is cut from.
	snippetMaxFile = 4 << 20
)

// credentialKey matches the key of an assignment whose value is a
// credential: password = "...", "api_key": "...".
// Generic value keys (an env block's value, a secret version's data) are
// hidden too: the name that says what they hold is on another line.
var credentialKey = regexp.MustCompile(`(?i)^(\s*"?(?:[A-Za-z0-9_.-]*(?:password|passwd|secret|token|private_key|api_key|apikey|credential|access_key|key_data|sensitive)[A-Za-z0-9_.-]*|value|data|content|contents)"?\s*[=:])\s*\S.*$`)

// longToken matches a run of token characters long enough to be a key or
// a credential body (base64, hex); it is hidden whatever its shape, unless
// it is a Google provider type name (providerType).
var longToken = regexp.MustCompile(`[A-Za-z0-9+/_\-]{32,}={0,2}`)

// providerType matches a resource or data source type of the Google
// provider (google_compute_target_https_proxy is 33 characters): lower
// case words joined by underscores after google_, never a credential's
// shape, and the line is unreadable without it.
var providerType = regexp.MustCompile(`^google_[a-z0-9]+(?:_[a-z0-9]+)*$`)

// hideLongToken is the replacement of a longToken match.
func hideLongToken(tok string) string {
	if providerType.MatchString(tok) {
		return tok
	}
	return "***"
}

// heredocStart matches the opening of a heredoc (<<EOT, <<-EOT).
var heredocStart = regexp.MustCompile(`<<-?\s*([A-Za-z_][A-Za-z0-9_]*)\s*$`)

// heredocBodies marks the lines (0-based) inside heredocs: their content
// is hidden, since a certificate, key or script is often one.
func heredocBodies(lines []string) []bool {
	in := make([]bool, len(lines))
	end := ""
	for i, l := range lines {
		if end != "" {
			if strings.TrimSpace(l) == end {
				end = ""
				continue
			}
			in[i] = true
			continue
		}
		if m := heredocStart.FindStringSubmatch(l); m != nil {
			end = m[1]
		}
	}
	return in
}

func (t *textReport) snippet(l scanner.Location) {
	if t.source == nil || l.StartLine <= 0 || l.File == "" {
		return
	}
	lines, hidden := t.sourceLines(l.File)
	if l.StartLine > len(lines) {
		return
	}
	end := l.EndLine
	if end < l.StartLine {
		end = l.StartLine
	}
	first := max(1, l.StartLine-snippetContext)
	last := min(len(lines), end+snippetContext, first+snippetMaxLines-1)
	numWidth := len(itoa(last))
	for n := first; n <= last; n++ {
		mark := " "
		if n >= l.StartLine && n <= end {
			mark = ">"
		}
		prefix := "    " + mark + " " + strings.Repeat(" ", numWidth-len(itoa(n))) + itoa(n) + " | "
		code := t.snippetLine(lines[n-1], t.width-len(prefix))
		if hidden[n-1] {
			code = "(heredoc content hidden)"
		}
		if mark == ">" {
			t.printf("%s%s\n", t.paint(ansiBold, prefix), code)
		} else {
			t.printf("%s%s\n", t.paint(ansiDim, prefix), code)
		}
	}
}

// sourceLines returns the lines of a file and which of them are heredoc
// bodies, for the file's snippets: the findings come file by file, so the
// last file's are kept.
func (t *textReport) sourceLines(file string) ([]string, []bool) {
	if t.linesOf == file && t.lines != nil {
		return t.lines, t.hidden
	}
	t.linesOf, t.lines, t.hidden = file, nil, nil
	src := t.source(file)
	if len(src) == 0 || len(src) > snippetMaxFile {
		return nil, nil
	}
	t.lines = strings.Split(strings.TrimSuffix(strings.ReplaceAll(string(src), "\r\n", "\n"), "\n"), "\n")
	t.hidden = heredocBodies(t.lines)
	return t.lines, t.hidden
}

// snippetLines is how many made snippet lines a text report keeps.
const snippetLines = 4096

// snippetLine is snippetLine, remembered: modules called from many roots
// show the same lines again and again.
func (t *textReport) snippetLine(s string, width int) string {
	k := snippetKey{s, width}
	if out, ok := t.made[k]; ok {
		return out
	}
	if t.made == nil || len(t.made) >= snippetLines {
		t.made = map[snippetKey]string{}
	}
	out := snippetLine(s, width)
	t.made[k] = out
	return out
}

type snippetKey struct {
	line  string
	width int
}

// snippetLine makes one source line safe to print and cuts it to width
// runes.
func snippetLine(s string, width int) string {
	s = strings.ReplaceAll(s, "\t", "  ")
	if m := credentialKey.FindStringSubmatch(s); m != nil {
		s = m[1] + " (value hidden)"
	}
	s = longToken.ReplaceAllStringFunc(scanner.RedactText(s), hideLongToken)
	s = clean(s)
	if width < 10 {
		width = 10
	}
	if r := []rune(s); len(r) > width {
		s = string(r[:width-3]) + "..."
	}
	return s
}

// wrapText breaks s at spaces into lines of at most width runes (a word
// longer than width stays whole on its own line); always one line at least.
func wrapText(s string, width int) []string {
	if width < 20 {
		width = 20
	}
	// The words are those of strings.Split(s, " "); a line is the words
	// from its first to its last as they stand in s (one space apart), so
	// it is a slice of s. An empty word does not start a line.
	var lines []string
	start, end, n := 0, 0, 0 // the current line is s[start:end], n runes
	for i := 0; i <= len(s); {
		j := strings.IndexByte(s[i:], ' ')
		if j < 0 {
			j = len(s) - i
		}
		wl := utf8.RuneCountInString(s[i : i+j])
		switch {
		case n == 0:
			start, end, n = i, i+j, wl
		case n+1+wl <= width:
			end, n = i+j, n+1+wl
		default:
			lines = append(lines, s[start:end])
			start, end, n = i, i+j, wl
		}
		i += j + 1
	}
	return append(lines, s[start:end])
}
