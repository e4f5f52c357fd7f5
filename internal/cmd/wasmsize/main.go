// Command wasmsize says where the browser app's bytes go: it builds
// cmd/wasm as `make wasm` does (internal/wasmbuild) but keeping the name
// section, and prints the sizes of the wasm's sections, the code bytes of
// each Go package (function bodies, summed by the package the name section
// gives them) and the largest functions. `go tool nm` does not read wasm.
//
//	go run ./internal/cmd/wasmsize              # as make wasm builds it
//	go run ./internal/cmd/wasmsize -nopatch     # against Ebiten as it is
//	go run ./internal/cmd/wasmsize -top 100 -funcs 40
//
// Also printed: the raw and gzipped sizes of the stripped build (what is
// served; gzipped as cmd/serve does, with Go's compress/gzip). Data (the data section: type descriptors, the function table
// pclntab, strings, embedded files) is not split by package.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hsrviz/hsrviz/internal/wasmbuild"
)

func main() {
	nopatch := flag.Bool("nopatch", false, "build against Ebiten as it is (see internal/wasmbuild)")
	top := flag.Int("top", 40, "packages to list")
	funcs := flag.Int("funcs", 20, "functions to list")
	flag.Parse()
	if err := run(*nopatch, *top, *funcs); err != nil {
		fmt.Fprintln(os.Stderr, "wasmsize:", err)
		os.Exit(1)
	}
}

func run(nopatch bool, top, funcs int) error {
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "hsrviz-wasmsize-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	logf := func(s string) { fmt.Fprintln(os.Stderr, s) }
	stripped, named := filepath.Join(tmp, "s.wasm"), filepath.Join(tmp, "n.wasm")
	for _, b := range []struct {
		out     string
		symbols bool
	}{{stripped, false}, {named, true}} {
		if _, err := wasmbuild.Build(wasmbuild.Options{Root: root, Out: b.out, Log: logf, Symbols: b.symbols, NoPatch: nopatch}); err != nil {
			return err
		}
	}
	s, err := os.ReadFile(stripped)
	if err != nil {
		return err
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(s)
	zw.Close()
	fmt.Printf("served (stripped): %d bytes raw, %d bytes gzipped as cmd/serve sends it (Go's gzip at BestCompression; GNU gzip -9 is ~1%% smaller)\n", len(s), gz.Len())

	b, err := os.ReadFile(named)
	if err != nil {
		return err
	}
	m, err := parse(b)
	if err != nil {
		return err
	}
	fmt.Printf("with names: %d bytes; code section %d (%d functions), data section %d, name section %d\n",
		len(b), m.code, len(m.bodies), m.data, m.names)

	cmd := exec.Command("go", "list", "-deps", "./cmd/wasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("go list: %v", err)
	}
	pkgs := strings.Fields(string(out))
	// Longest first: a function belongs to the longest package path its
	// name starts with (names have '/' written as '_').
	sort.Slice(pkgs, func(i, j int) bool { return len(pkgs[i]) > len(pkgs[j]) })
	per := map[string]int{}
	type fn struct {
		name string
		size int
	}
	var fns []fn
	total := 0
	for i, size := range m.bodies {
		name := m.fname[i+m.imports]
		fns = append(fns, fn{name, size})
		per[pkgOf(name, pkgs)] += size
		total += size
	}
	type kv struct {
		k string
		v int
	}
	var list []kv
	for k, v := range per {
		list = append(list, kv{k, v})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].v > list[j].v })
	fmt.Printf("\ncode bytes by package (function bodies, %d in all):\n", total)
	for i, e := range list {
		if i == top {
			break
		}
		fmt.Printf("%9d  %5.1f%%  %s\n", e.v, 100*float64(e.v)/float64(total), e.k)
	}
	sort.Slice(fns, func(i, j int) bool { return fns[i].size > fns[j].size })
	fmt.Printf("\nlargest functions:\n")
	for i := 0; i < funcs && i < len(fns); i++ {
		fmt.Printf("%9d  %s\n", fns[i].size, fns[i].name)
	}
	return nil
}

func pkgOf(name string, pkgs []string) string {
	for _, p := range pkgs {
		if strings.HasPrefix(name, strings.ReplaceAll(p, "/", "_")+".") {
			return p
		}
	}
	if strings.HasPrefix(name, "type:") || strings.HasPrefix(name, "type_") {
		return "(type: equality and hash functions)"
	}
	return "(runtime assembly and other)"
}

// module is what wasmsize reads of a wasm binary.
type module struct {
	imports           int            // imported functions (they come first in the function index space)
	bodies            []int          // code body sizes, in order
	fname             map[int]string // function index → name (the "name" custom section)
	code, data, names int            // section sizes
}

func parse(b []byte) (*module, error) {
	if len(b) < 8 || string(b[:4]) != "\x00asm" {
		return nil, fmt.Errorf("not a wasm binary")
	}
	m := &module{fname: map[int]string{}}
	p := 8
	uleb := func(q *int) int {
		v, n := binary.Uvarint(b[*q:])
		if n <= 0 {
			panic("wasmsize: bad LEB128")
		}
		*q += n
		return int(v)
	}
	for p < len(b) {
		id := b[p]
		p++
		size := uleb(&p)
		end := p + size
		q := p
		switch id {
		case 0: // custom
			n := uleb(&q)
			name := string(b[q : q+n])
			q += n
			if name != "name" {
				break
			}
			m.names = size
			for q < end {
				sub := b[q]
				q++
				ssize := uleb(&q)
				send := q + ssize
				if sub == 1 { // function names
					r := q
					for c := uleb(&r); c > 0; c-- {
						idx := uleb(&r)
						l := uleb(&r)
						m.fname[idx] = string(b[r : r+l])
						r += l
					}
				}
				q = send
			}
		case 2: // imports
			for c := uleb(&q); c > 0; c-- {
				q += uleb(&q) // module
				q += uleb(&q) // field
				kind := b[q]
				q++
				switch kind {
				case 0: // function
					uleb(&q)
					m.imports++
				case 1: // table: element type, then limits as a memory's
					q++
					fallthrough
				case 2: // memory: limits
					flags := b[q]
					q++
					uleb(&q)
					if flags&1 != 0 {
						uleb(&q)
					}
				case 3: // global
					q += 2
				}
			}
		case 10: // code
			m.code = size
			for c := uleb(&q); c > 0; c-- {
				l := uleb(&q)
				m.bodies = append(m.bodies, l)
				q += l
			}
		case 11:
			m.data = size
		}
		p = end
	}
	return m, nil
}
