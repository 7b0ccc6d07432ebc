package fake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"cloud.google.com/go/iam/apiv1/iampb"
	storagev1 "google.golang.org/api/storage/v1"
)

// storageHandler speaks the part of the Cloud Storage JSON API that casascan
// reads: GET /storage/v1/b?project=P (buckets.list) and
// GET /storage/v1/b/NAME/iam (buckets.getIamPolicy). Everything else is 404.
type storageHandler struct{ s *Server }

func (h storageHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, storageAPIPrefix+"b")
	if !ok || r.Method != http.MethodGet {
		writeError(w, http.StatusNotFound, "notFound", "Not Found (fake)")
		return
	}
	switch {
	case rest == "" || rest == "/":
		h.list(w, r)
	case strings.HasSuffix(rest, "/iam") && strings.Count(rest, "/") == 2:
		h.policy(w, strings.TrimSuffix(strings.TrimPrefix(rest, "/"), "/iam"))
	default:
		writeError(w, http.StatusNotFound, "notFound", "Not Found (fake)")
	}
}

func (h storageHandler) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	project := q.Get("project")
	if h.refused(w, ListBuckets, project) {
		return
	}
	all := h.s.idx.buckets[project]
	size, _ := strconv.Atoi(q.Get("maxResults"))
	lo, hi, next, err := h.s.page(len(all), q.Get("pageToken"), size)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid", err.Error())
		return
	}
	writeJSON(w, &storagev1.Buckets{Kind: "storage#buckets", Items: all[lo:hi], NextPageToken: next})
}

func (h storageHandler) policy(w http.ResponseWriter, bucket string) {
	owner := h.s.idx.bucketOwn[bucket]
	project := ""
	if owner != nil {
		project = owner.ID
	}
	if h.refused(w, GetBucketIAM, project) {
		return
	}
	if owner == nil {
		writeError(w, http.StatusNotFound, "notFound", "The specified bucket does not exist (fake)")
		return
	}
	writeJSON(w, storagePolicy(bucket, owner.Policies[bucket]))
}

// refused counts a call and writes the injected error, if any.
func (h storageHandler) refused(w http.ResponseWriter, method, project string) bool {
	f := h.s.enter(method, ServiceStorage, h.s.scopesOf(project)...)
	switch {
	case f.reason == reasonUnauth:
		writeError(w, http.StatusUnauthorized, "authError", "Invalid Credentials (fake)")
	case f.exhausted:
		writeError(w, http.StatusTooManyRequests, "rateLimitExceeded", "The rate of requests exceeds the limit (fake)")
	case f.reason == reasonDisabled:
		writeError(w, http.StatusForbidden, "accessNotConfigured",
			fmt.Sprintf("Cloud Storage JSON API has not been used in project %s before or it is disabled (fake)", project))
	case f.reason != "" || h.s.idx.project[project] == nil:
		writeError(w, http.StatusForbidden, "forbidden",
			fmt.Sprintf("caller does not have storage.buckets.list access to project %s (fake)", project))
	default:
		return false
	}
	return true
}

// storagePolicy renders an IAM policy the way the JSON API returns it.
func storagePolicy(bucket string, p *iampb.Policy) *storagev1.Policy {
	out := &storagev1.Policy{Kind: "storage#policy", ResourceId: "projects/_/buckets/" + bucket, Etag: "CAE=", Version: 1}
	if p == nil {
		return out
	}
	out.Version = int64(p.GetVersion())
	for _, b := range p.GetBindings() {
		pb := &storagev1.PolicyBindings{Role: b.GetRole(), Members: b.GetMembers()}
		if c := b.GetCondition(); c != nil {
			pb.Condition = &storagev1.Expr{Title: c.GetTitle(), Description: c.GetDescription(), Expression: c.GetExpression()}
		}
		out.Bindings = append(out.Bindings, pb)
	}
	return out
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, reason, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"code": code, "message": msg,
		"errors": []map[string]string{{"message": msg, "domain": "global", "reason": reason}},
	}})
}
