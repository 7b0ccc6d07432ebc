package fake

import (
	"strings"
	"testing"
)

func TestPage(t *testing.T) {
	s := &Server{world: &World{PageSize: 3}}
	tests := []struct {
		n         int
		token     string
		size      int
		lo, hi    int
		next      string
		wantError bool
	}{
		{n: 7, lo: 0, hi: 3, next: "3"},
		{n: 7, token: "3", lo: 3, hi: 6, next: "6"},
		{n: 7, token: "6", lo: 6, hi: 7},
		{n: 7, size: 2, lo: 0, hi: 2, next: "2"},
		{n: 0, lo: 0, hi: 0},
		{n: 7, token: "x", wantError: true},
		{n: 7, token: "9", wantError: true},
	}
	for _, tt := range tests {
		lo, hi, next, err := s.page(tt.n, tt.token, tt.size)
		if (err != nil) != tt.wantError {
			t.Errorf("page(%d, %q, %d) error %v, want error %v", tt.n, tt.token, tt.size, err, tt.wantError)
			continue
		}
		if err == nil && (lo != tt.lo || hi != tt.hi || next != tt.next) {
			t.Errorf("page(%d, %q, %d) = %d, %d, %q; want %d, %d, %q", tt.n, tt.token, tt.size, lo, hi, next, tt.lo, tt.hi, tt.next)
		}
	}
}

func TestReadWorld(t *testing.T) {
	w, err := ReadWorld([]byte(`{"projects":[{"id":"p","number":1,
		"cryptoKeys":[{"name":"projects/p/locations/us/keyRings/r/cryptoKeys/k","purpose":"ENCRYPT_DECRYPT"}],
		"policies":{"b":{"bindings":[{"role":"roles/x","members":["allUsers"]}]}}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	p := w.Projects[0]
	if len(p.CryptoKeys) != 1 || p.CryptoKeys[0].GetPurpose().String() != "ENCRYPT_DECRYPT" || p.Policies["b"].GetBindings()[0].GetRole() != "roles/x" {
		t.Errorf("decoded %+v", p)
	}
	_, err = ReadWorld([]byte(`{"projects":[{"id":"p","cryptoKeys":[{"purpose":"NOT_A_PURPOSE"}]}]}`))
	if err == nil || !strings.Contains(err.Error(), "project p: crypto keys: item 0") {
		t.Errorf("bad key: error %v, want one naming the project and item", err)
	}
}
