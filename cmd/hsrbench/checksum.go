package main

import "fmt"

// setSum summarises a set of ids independently of the order they arrive in:
// the count, the plain sum and the sum of a 64-bit mix of each id (mod 2^64).
// Two different sets agree on all three only by a 2^-64-scale accident.
type setSum struct {
	N        int
	Sum, Mix uint64
}

func (s *setSum) add(id int) {
	s.N++
	s.Sum += uint64(id)
	s.Mix += mix64(uint64(id))
}

func (s setSum) String() string { return fmt.Sprintf("count %d sum %d mix %016x", s.N, s.Sum, s.Mix) }

// mix64 is splitmix64's finaliser: a bijection that scatters nearby ids.
func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// sumAbove is the oracle: the set {i : dots[i] > c}.
func sumAbove(dots []float64, c float64) setSum {
	var s setSum
	for i, v := range dots {
		if v > c {
			s.add(i)
		}
	}
	return s
}
