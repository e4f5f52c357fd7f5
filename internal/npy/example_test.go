package npy_test

import (
	"bytes"
	"fmt"

	"github.com/hsrviz/hsrviz/internal/npy"
	"gonum.org/v1/gonum/mat"
)

func Example() {
	var file bytes.Buffer
	if err := npy.Write(&file, mat.NewDense(2, 3, []float64{1, 2, 3, 4, 5, 6})); err != nil {
		panic(err)
	}
	fmt.Println(file.Len(), "bytes; the data starts at byte 128")
	m, err := npy.Read(&file, "Q.npy")
	if err != nil {
		panic(err)
	}
	fmt.Println(mat.Formatted(m))

	// Bad input is refused with the file's name and what is wrong.
	_, err = npy.Read(bytes.NewReader([]byte("\x93NUMPY\x01\x00")), "K.npy")
	fmt.Println(err)
	// Output:
	// 176 bytes; the data starts at byte 128
	// ⎡1  2  3⎤
	// ⎣4  5  6⎦
	// K.npy: truncated: the file ends inside the header length
}
