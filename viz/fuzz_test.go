package viz

import (
	"strings"
	"testing"
)

// FuzzPatchHash: any text in the URL's hash gives valid parameters and
// never a panic; a hash the app wrote reads back to the same parameters
// without an error.
func FuzzPatchHash(f *testing.F) {
	for _, s := range []string{"", "#b=0.5", "n=abc&d=-5&b=NaN&kind=foo", DefaultParams().Hash(), "m=4&query=9",
		"n=1048576&d=64", "%zz", "b=1&b=2", "sigma=1e-300", "seed=18446744073709551615", "data=CLUSTERED&index= auto "} {
		f.Add(s)
	}
	base := DefaultParams()
	f.Fuzz(func(t *testing.T, h string) {
		p, err := PatchHash(base, h)
		if verr := p.Validate(); verr != nil {
			t.Fatalf("PatchHash(%q) = invalid %+v: %v", h, p, verr)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "hash: ") {
			t.Fatalf("PatchHash(%q): error %q does not say where it comes from", h, err)
		}
		q, err := PatchHash(base, p.Hash())
		if err != nil || q != p {
			t.Fatalf("the hash of %+v reads back as %+v, %v", p, q, err)
		}
	})
}

// FuzzSetParamsJSON: the Go side of hsrviz.set (the JSON the page
// stringifies) never panics, and either applies a valid patch or refuses
// it leaving the parameters exactly as they were.
func FuzzSetParamsJSON(f *testing.F) {
	for _, s := range []string{`{"b":1.2}`, `{"b":null}`, `{"n":1e300}`, `{"sigma":5e-324}`, `[1]`, `"x"`, `{"kind":"softmax","gamma":0.3}`,
		`{"m":2}`, `{"d":64,"n":1048576}`, `{"seed":-1}`, `{"data":"massive"}`, `{}`, `{"b":1,"b":2}`, `{"index":"scan","query":300}`} {
		f.Add(s)
	}
	base := DefaultParams()
	f.Fuzz(func(t *testing.T, patch string) {
		q, err := base.applyPatch([]byte(patch))
		if err != nil {
			if q != base {
				t.Fatalf("refused %q but changed the parameters to %+v", patch, q)
			}
			return
		}
		if verr := q.Validate(); verr != nil {
			t.Fatalf("accepted %q giving invalid %+v: %v", patch, q, verr)
		}
	})
}
