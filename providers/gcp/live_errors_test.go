package gcp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/api/googleapi"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func grpcErr(code codes.Code, reason string) error {
	st := status.New(code, "message from the server")
	if reason != "" {
		st, _ = st.WithDetails(&errdetails.ErrorInfo{Reason: reason, Domain: "googleapis.com"})
	}
	return st.Err()
}

func httpErr(code int, reason string) error {
	return &googleapi.Error{Code: code, Message: "message from the server", Errors: []googleapi.ErrorItem{{Reason: reason}}}
}

func TestRefusalAndRetry(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		refusal   string
		retryable bool
		rejects   bool
	}{
		{"grpc denied", grpcErr(codes.PermissionDenied, "IAM_PERMISSION_DENIED"), "permission denied", false, false},
		{"grpc disabled", grpcErr(codes.PermissionDenied, "SERVICE_DISABLED"), "API disabled", false, false},
		{"grpc quota", grpcErr(codes.ResourceExhausted, ""), "quota exhausted after retries", true, false},
		{"grpc unavailable", grpcErr(codes.Unavailable, ""), "service unavailable after retries", true, false},
		{"grpc not found", grpcErr(codes.NotFound, ""), "not found", false, false},
		{"grpc unauthenticated", grpcErr(codes.Unauthenticated, ""), "read failed", false, true},
		{"http denied", httpErr(403, "forbidden"), "permission denied", false, false},
		{"http disabled", httpErr(403, "accessNotConfigured"), "API disabled", false, false},
		{"http rate", httpErr(429, "rateLimitExceeded"), "quota exhausted after retries", true, false},
		{"http 503", httpErr(503, "backendError"), "service unavailable after retries", true, false},
		{"http 401", httpErr(401, "authError"), "read failed", false, true},
		{"wrapped", fmt.Errorf("listing: %w", httpErr(429, "")), "quota exhausted after retries", true, false},
		{"other", errors.New("boom"), "read failed", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := refusal(tt.err); got != tt.refusal {
				t.Errorf("refusal = %q, want %q", got, tt.refusal)
			}
			if got := retryable(tt.err); got != tt.retryable {
				t.Errorf("retryable = %v, want %v", got, tt.retryable)
			}
			if got := rejectsCredentials(tt.err); got != tt.rejects {
				t.Errorf("rejectsCredentials = %v, want %v", got, tt.rejects)
			}
		})
	}
}

func TestQuotaRetryer(t *testing.T) {
	p := retryPolicy{initial: 10 * time.Millisecond, max: 40 * time.Millisecond, attempts: 4}
	r := &quotaRetryer{bo: p.backoff(), left: p.attempts - 1}
	quota := grpcErr(codes.ResourceExhausted, "")
	ceilings := []time.Duration{10, 20, 40} // doubling, capped at max
	for i, ceil := range ceilings {
		pause, ok := r.Retry(quota)
		if !ok {
			t.Fatalf("retry %d refused", i+1)
		}
		if pause <= 0 || pause > ceil*time.Millisecond {
			t.Errorf("retry %d pause %v, want within (0, %v]", i+1, pause, ceil*time.Millisecond)
		}
	}
	if _, ok := r.Retry(quota); ok {
		t.Error("a fourth retry was allowed; attempts are 4 calls in all")
	}
	fresh := &quotaRetryer{bo: p.backoff(), left: 3}
	if _, ok := fresh.Retry(grpcErr(codes.PermissionDenied, "")); ok {
		t.Error("permission denied must not be retried")
	}
}

func TestFailureLog(t *testing.T) {
	denied := grpcErr(codes.PermissionDenied, "")
	s := &liveScan{fails: &failureLog{}}
	ctx := context.Background()
	// The smallest call is reported whatever the order of arrival.
	for _, what := range []string{"listing key rings in projects/p/locations/us", "listing key rings in projects/p/locations/eu"} {
		if err := s.fail(ctx, "projects/p", serviceKMS, what, denied); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.fail(ctx, "projects/q", serviceStorage, "listing buckets of projects/q", httpErr(403, "accessNotConfigured")); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range s.fails.diagnostics() {
		if !d.Skipped {
			t.Errorf("%s: not marked skipped", d.Subject)
		}
		got = append(got, d.String())
	}
	want := []string{
		"error: projects/p (cloudkms.googleapis.com): skipped: permission denied; " +
			"listing key rings in projects/p/locations/eu: message from the server (and 1 more calls)",
		"error: projects/q (storage.googleapis.com): skipped: API disabled; listing buckets of projects/q: message from the server",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	if err := s.fail(ctx, "projects/p", serviceKMS, "x", grpcErr(codes.Unauthenticated, "")); !errors.Is(err, ErrNoCredentials) {
		t.Errorf("unauthenticated: %v, want ErrNoCredentials", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.fail(cancelled, "projects/p", serviceKMS, "x", denied); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v, want context.Canceled", err)
	}
}

func TestProgressCounter(t *testing.T) {
	var out bytes.Buffer
	c := newProgressOut(&out).counter("things", 100)
	for i := 0; i < 100; i++ {
		c.step()
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 21 || lines[0] != "casascan: things 1/100" || lines[len(lines)-1] != "casascan: things 100/100" {
		t.Errorf("got %d lines from %q to %q; want 21 from 1/100 to 100/100", len(lines), lines[0], lines[len(lines)-1])
	}
	newProgressOut(nil).counter("silent", 3).step() // must not panic without a writer
}
