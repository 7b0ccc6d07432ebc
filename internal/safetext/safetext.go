// Package safetext makes text from the scanned tree inert where casascan
// prints it: on a terminal, in a CI log, in a CSV cell. A file name, a
// module source or an error message quoted from a hostile pull request must
// not move the cursor, clear the screen, or start a GitHub Actions workflow
// command (a line beginning with "::", or "##[" anywhere).
package safetext

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line renders s for one line of a terminal or CI log: control characters,
// Unicode line and paragraph separators, bidirectional controls and invalid
// UTF-8 are shown as escapes (\n, \x1b, \u2028), so s can never span lines
// or reach the terminal as a control sequence; a leading "::" (after
// blanks) and any "##[" are broken up, so the line is never a workflow
// command. Ordinary text is returned unchanged.
func Line(s string) string {
	s = Escape(s)
	if t := strings.TrimLeft(s, " \t"); strings.HasPrefix(t, "::") {
		s = s[:len(s)-len(t)] + `\x3a` + t[1:]
	}
	return strings.ReplaceAll(s, "##[", `#\x23[`)
}

// Lines applies Line to every line of s: for messages casascan itself
// writes on several lines, whose parts may come from the tree.
func Lines(s string) string {
	if !strings.Contains(s, "\n") {
		return Line(s)
	}
	parts := strings.Split(s, "\n")
	for i, p := range parts {
		parts[i] = Line(p)
	}
	return strings.Join(parts, "\n")
}

// Escape shows every character that is not safe to print as an escape:
// \n, \r and \t by name, other ASCII controls and invalid bytes as \xNN,
// other controls, separators and bidirectional marks as \uNNNN.
func Escape(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < utf8.RuneSelf && unsafe(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafe(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || r == '\t' || unsafe(r) {
			return true
		}
		i += size
	}
	return false
}

// unsafe reports whether a rune can change how a terminal or a log shows
// what follows it: C0 and C1 controls, DEL, line and paragraph separators,
// and bidirectional controls (which reorder what a reader sees).
func unsafe(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r)
}

// CSVCell makes a cell safe for a spreadsheet: control characters are
// removed (a CR or an escape sequence has no business in evidence), and a
// cell that would start with = + - @ (a formula, maybe after blanks; a tab
// or CR before one becomes a blank or goes) gets a leading
// apostrophe, the usual defence against CSV injection. Ordinary text is
// returned unchanged.
func CSVCell(s string) string {
	if needsEscape(s) { // an unsafe rune, or invalid UTF-8
		var b strings.Builder
		for _, r := range s {
			if r == '\t' || r == '\n' {
				b.WriteByte(' ')
			} else if !unsafe(r) && r != utf8.RuneError {
				b.WriteRune(r)
			}
		}
		s = b.String()
	}
	if t := strings.TrimLeft(s, " "); t != "" && strings.ContainsRune("=+-@", rune(t[0])) {
		return "'" + s
	}
	return s
}
