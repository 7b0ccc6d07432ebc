package gcp

import (
	"encoding/json"
	"strconv"
	"time"

	"cloud.google.com/go/storage"
)

// bucketData renders what the Storage client read of a bucket back into the
// JSON API's shape (the data of a storage.googleapis.com/Bucket asset), so
// the asset table maps it: encryption.defaultKmsKeyName,
// iamConfiguration.{uniformBucketLevelAccess,publicAccessPrevention},
// retentionPolicy, versioning, lifecycle.rule, logging, softDeletePolicy,
// labels, acl and defaultObjectAcl. Fields the API leaves out stay out.
func bucketData(a *storage.BucketAttrs) map[string]any {
	d := map[string]any{
		"name":         a.Name,
		"location":     a.Location,
		"storageClass": a.StorageClass,
		"versioning":   map[string]any{"enabled": a.VersioningEnabled},
		"iamConfiguration": map[string]any{
			"uniformBucketLevelAccess": map[string]any{"enabled": a.UniformBucketLevelAccess.Enabled},
		},
	}
	if a.ProjectNumber != 0 {
		d["projectNumber"] = strconv.FormatUint(a.ProjectNumber, 10)
	}
	if pap := a.PublicAccessPrevention.String(); a.PublicAccessPrevention != storage.PublicAccessPreventionUnknown && pap != "" {
		d["iamConfiguration"].(map[string]any)["publicAccessPrevention"] = pap
	}
	if len(a.Labels) > 0 {
		labels := map[string]any{}
		for k, v := range a.Labels {
			labels[k] = v
		}
		d["labels"] = labels
	}
	if a.Encryption != nil && a.Encryption.DefaultKMSKeyName != "" {
		d["encryption"] = map[string]any{"defaultKmsKeyName": a.Encryption.DefaultKMSKeyName}
	}
	if rp := a.RetentionPolicy; rp != nil {
		d["retentionPolicy"] = map[string]any{"retentionPeriod": seconds(rp.RetentionPeriod), "isLocked": rp.IsLocked}
	}
	if rules := lifecycleData(a.Lifecycle.Rules); len(rules) > 0 {
		d["lifecycle"] = map[string]any{"rule": rules}
	}
	if l := a.Logging; l != nil {
		d["logging"] = map[string]any{"logBucket": l.LogBucket, "logObjectPrefix": l.LogObjectPrefix}
	}
	if sd := a.SoftDeletePolicy; sd != nil {
		d["softDeletePolicy"] = map[string]any{"retentionDurationSeconds": seconds(sd.RetentionDuration)}
	}
	if acl := aclData(a.ACL); len(acl) > 0 {
		d["acl"] = acl
	}
	if acl := aclData(a.DefaultObjectACL); len(acl) > 0 {
		d["defaultObjectAcl"] = acl
	}
	return d
}

func seconds(d time.Duration) json.Number {
	return json.Number(strconv.FormatInt(int64(d/time.Second), 10))
}

func number(n int64) json.Number { return json.Number(strconv.FormatInt(n, 10)) }

// lifecycleData renders lifecycle rules; a condition field the client
// reports as zero was not set (the client cannot tell them apart, except age
// 0, which it flags as AllObjects).
func lifecycleData(rules []storage.LifecycleRule) []any {
	var out []any
	for _, r := range rules {
		action := map[string]any{"type": r.Action.Type}
		if r.Action.StorageClass != "" {
			action["storageClass"] = r.Action.StorageClass
		}
		c := r.Condition
		cond := map[string]any{}
		if c.AgeInDays > 0 || c.AllObjects {
			cond["age"] = number(c.AgeInDays)
		}
		putDate(cond, "createdBefore", c.CreatedBefore)
		putDate(cond, "customTimeBefore", c.CustomTimeBefore)
		putDate(cond, "noncurrentTimeBefore", c.NoncurrentTimeBefore)
		putNumber(cond, "daysSinceCustomTime", c.DaysSinceCustomTime)
		putNumber(cond, "daysSinceNoncurrentTime", c.DaysSinceNoncurrentTime)
		putNumber(cond, "numNewerVersions", c.NumNewerVersions)
		switch c.Liveness {
		case storage.Live:
			cond["isLive"] = true
		case storage.Archived:
			cond["isLive"] = false
		}
		putStrings(cond, "matchesStorageClass", c.MatchesStorageClasses)
		putStrings(cond, "matchesPrefix", c.MatchesPrefix)
		putStrings(cond, "matchesSuffix", c.MatchesSuffix)
		out = append(out, map[string]any{"action": action, "condition": cond})
	}
	return out
}

func putDate(m map[string]any, k string, t time.Time) {
	if !t.IsZero() {
		m[k] = t.UTC().Format(time.DateOnly)
	}
}

func putNumber(m map[string]any, k string, n int64) {
	if n > 0 {
		m[k] = number(n)
	}
}

func putStrings(m map[string]any, k string, ss []string) {
	if len(ss) == 0 {
		return
	}
	l := make([]any, len(ss))
	for i, s := range ss {
		l[i] = s
	}
	m[k] = l
}

func aclData(rules []storage.ACLRule) []any {
	var out []any
	for _, r := range rules {
		out = append(out, map[string]any{"entity": string(r.Entity), "role": string(r.Role)})
	}
	return out
}
