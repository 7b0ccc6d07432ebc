package gcp

import (
	"fmt"
	"io"
	"sync"

	"github.com/casascan/casascan/internal/safetext"
)

// progressOut writes progress lines ("casascan: Cloud KMS key rings 40/120")
// for people watching a long scan. The CLI passes stderr only when it is a
// terminal, so CI logs stay clean; lines never hold a credential or a value.
type progressOut struct {
	mu sync.Mutex
	w  io.Writer
}

func newProgressOut(w io.Writer) *progressOut { return &progressOut{w: w} }

func (p *progressOut) printf(format string, args ...any) {
	if p == nil || p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintln(p.w, safetext.Line("casascan: "+fmt.Sprintf(format, args...)))
}

// counter reports done/total for one phase, about every twentieth step.
func (p *progressOut) counter(label string, total int) *progressCounter {
	return &progressCounter{out: p, label: label, total: total, next: 1}
}

type progressCounter struct {
	out   *progressOut
	label string
	total int

	mu         sync.Mutex
	done, next int
}

func (c *progressCounter) step() {
	if c.out == nil || c.out.w == nil {
		return
	}
	c.mu.Lock()
	c.done++
	show := c.done >= c.next || c.done == c.total
	if show {
		c.next = c.done + max(1, c.total/20)
	}
	done := c.done
	c.mu.Unlock()
	if show {
		c.out.printf("%s %d/%d", c.label, done, c.total)
	}
}
