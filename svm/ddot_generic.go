//go:build !amd64 || noasm

package svm

func ddotBlocks(x, y []float64) float64 { return ddotBlocks16(x, y) }

func sqdistBlocks(x, y []float64) float64 { return sqdistBlocks16(x, y) }
