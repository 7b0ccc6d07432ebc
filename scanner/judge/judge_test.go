package judge

import "testing"

func TestKleene(t *testing.T) {
	vs := []Verdict{Fail, Unknown, Pass}
	for _, a := range vs {
		for _, b := range vs {
			if got, want := a.And(b), And(a, b); got != want {
				t.Errorf("%v.And(%v) = %v, And = %v", a, b, got, want)
			}
			if a.And(b).Not() != a.Not().Or(b.Not()) {
				t.Errorf("De Morgan fails for %v, %v", a, b)
			}
		}
	}
	if Fail.And(Unknown) != Fail || Pass.And(Unknown) != Unknown || Pass.Or(Unknown) != Pass || Fail.Or(Unknown) != Unknown {
		t.Error("Kleene tables wrong")
	}
	if Unknown.Not() != Unknown {
		t.Error("not unknown")
	}
}

func TestQuantifiers(t *testing.T) {
	id := func(v Verdict) Verdict { return v }
	cases := []struct {
		xs              []Verdict
		all, any, oneOf Verdict
	}{
		{nil, Pass, Fail, Unknown},
		{[]Verdict{Pass, Pass}, Pass, Pass, Pass},
		{[]Verdict{Fail, Fail}, Fail, Fail, Fail},
		{[]Verdict{Fail, Pass}, Fail, Pass, Unknown},
		{[]Verdict{Unknown, Pass}, Unknown, Pass, Unknown},
		{[]Verdict{Unknown, Fail}, Fail, Unknown, Unknown},
	}
	for _, c := range cases {
		if got := All(c.xs, id); got != c.all {
			t.Errorf("All%v = %v, want %v", c.xs, got, c.all)
		}
		if got := Any(c.xs, id); got != c.any {
			t.Errorf("Any%v = %v, want %v", c.xs, got, c.any)
		}
		if got := OneOf(c.xs, id); got != c.oneOf {
			t.Errorf("OneOf%v = %v, want %v", c.xs, got, c.oneOf)
		}
	}
}
