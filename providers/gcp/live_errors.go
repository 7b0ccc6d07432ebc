package gcp

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"cloud.google.com/go/auth"
	"cloud.google.com/go/storage"
	"github.com/casascan/casascan/scanner"
	gax "github.com/googleapis/gax-go/v2"
	"github.com/googleapis/gax-go/v2/apierror"
	"google.golang.org/api/googleapi"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// retryPolicy is the backoff for quota (ResourceExhausted, HTTP 429) and
// transient (Unavailable, HTTP 503) errors: exponential, doubling from
// initial up to max, with full jitter (gax.Backoff picks a random pause up to
// the current ceiling), for at most attempts calls in all.
type retryPolicy struct {
	initial, max time.Duration
	attempts     int
}

func (p retryPolicy) withDefaults() retryPolicy {
	if p.initial <= 0 {
		p.initial = time.Second
	}
	if p.max <= 0 {
		p.max = 32 * time.Second
	}
	if p.attempts <= 0 {
		p.attempts = 6
	}
	return p
}

func (p retryPolicy) backoff() gax.Backoff {
	return gax.Backoff{Initial: p.initial, Max: p.max, Multiplier: 2}
}

// callOption is added to every Cloud KMS and Asset Inventory call. It
// replaces the clients' default retry, which retries Unavailable and
// DeadlineExceeded but not quota errors, the ones a large scan meets.
func (p retryPolicy) callOption() gax.CallOption {
	return gax.WithRetry(func() gax.Retryer {
		return &quotaRetryer{bo: p.backoff(), left: p.attempts - 1}
	})
}

// storageOptions tune the Storage client's own retry, which already covers
// HTTP 429 and 5xx on the idempotent reads casascan makes.
func (p retryPolicy) storageOptions() []storage.RetryOption {
	return []storage.RetryOption{storage.WithBackoff(p.backoff()), storage.WithMaxAttempts(p.attempts)}
}

type quotaRetryer struct {
	bo   gax.Backoff
	left int
}

func (r *quotaRetryer) Retry(err error) (time.Duration, bool) {
	if r.left <= 0 || !retryable(err) {
		return 0, false
	}
	r.left--
	return r.bo.Pause(), true
}

func retryable(err error) bool {
	switch status.Code(err) {
	case codes.ResourceExhausted, codes.Unavailable:
		return true
	}
	c := httpCode(err)
	return c == http.StatusTooManyRequests || c == http.StatusServiceUnavailable
}

func httpCode(err error) int {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return ge.Code
	}
	if ae, ok := apierror.FromError(err); ok {
		return ae.HTTPCode()
	}
	return 0
}

// errorReason returns the machine reason of an error: the ErrorInfo reason
// (SERVICE_DISABLED) or the JSON API's errors[].reason (accessNotConfigured).
func errorReason(err error) string {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		for _, e := range ge.Errors {
			if e.Reason != "" {
				return e.Reason
			}
		}
	}
	if ae, ok := apierror.FromError(err); ok {
		return ae.Reason()
	}
	return ""
}

// refusal says in a few words why a call failed, for a Skipped diagnostic.
func refusal(err error) string {
	code, hc, reason := status.Code(err), httpCode(err), errorReason(err)
	switch {
	case reason == "SERVICE_DISABLED" || reason == "accessNotConfigured":
		return "API disabled"
	case code == codes.PermissionDenied || hc == http.StatusForbidden:
		return "permission denied"
	case code == codes.NotFound || hc == http.StatusNotFound:
		return "not found"
	case code == codes.ResourceExhausted || hc == http.StatusTooManyRequests:
		return "quota exhausted after retries"
	case code == codes.Unavailable || hc == http.StatusServiceUnavailable:
		return "service unavailable after retries"
	case code == codes.DeadlineExceeded:
		return "timed out"
	}
	return "read failed"
}

// errorMessage is the server's message of an error, short; Google's error
// messages never carry the caller's token.
func errorMessage(err error) string {
	msg := err.Error()
	if ae, ok := apierror.FromError(err); ok && ae.Message() != "" {
		msg = ae.Message()
	}
	if len(msg) > 300 {
		msg = msg[:300] + "…"
	}
	return msg
}

// rejectsCredentials reports an error that no other project or service
// would answer differently: the credentials themselves are refused.
func rejectsCredentials(err error) bool {
	var ae *auth.Error
	return status.Code(err) == codes.Unauthenticated || httpCode(err) == http.StatusUnauthorized || errors.As(err, &ae)
}

// fail records a failed call on subject (a project, folder or
// organization) of service, and returns nil so the scan goes on; it returns
// an error only when going on is pointless (cancelled, credentials refused).
func (s *liveScan) fail(ctx context.Context, subject, service, what string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	if rejectsCredentials(err) {
		return fmt.Errorf("%s: %w (%s)", what, ErrNoCredentials, errorMessage(err))
	}
	s.fails.add(subject, service, what, err)
	return nil
}

// failureLog gathers failed calls into one diagnostic per subject, service
// and reason, so a denied project yields one line, not one per location.
type failureLog struct {
	mu      sync.Mutex
	entries map[string]*failure
}

type failure struct {
	subject, service, reason string
	// what and detail describe the smallest failed call, so the diagnostic
	// does not depend on which call happened to fail first.
	what, detail string
	count        int
}

func (f *failureLog) add(subject, service, what string, err error) {
	reason := refusal(err)
	key := subject + "\x00" + service + "\x00" + reason
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.entries == nil {
		f.entries = map[string]*failure{}
	}
	e := f.entries[key]
	if e == nil {
		e = &failure{subject: subject, service: service, reason: reason}
		f.entries[key] = e
	}
	if e.count == 0 || what < e.what {
		e.what, e.detail = what, errorMessage(err)
	}
	e.count++
}

// diagnostics returns one Skipped diagnostic per failure, sorted.
func (f *failureLog) diagnostics() []scanner.Diagnostic {
	f.mu.Lock()
	defer f.mu.Unlock()
	keys := make([]string, 0, len(f.entries))
	for k := range f.entries {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]scanner.Diagnostic, 0, len(keys))
	for _, k := range keys {
		e := f.entries[k]
		detail := e.what + ": " + e.detail
		if e.count > 1 {
			detail += fmt.Sprintf(" (and %d more calls)", e.count-1)
		}
		out = append(out, scanner.Diagnostic{
			Severity: scanner.DiagError, // not judged: the scan is incomplete
			Subject:  e.subject + " (" + e.service + ")",
			Summary:  "skipped: " + e.reason,
			Detail:   strings.TrimSpace(detail),
			Skipped:  true,
		})
	}
	return out
}
