package inspect

import (
	"math"
	"reflect"
)

// Equal reports whether two decoded values are equal, comparing floats
// by their bits (so NaN equals the same NaN and -0 differs from +0) and
// everything else as reflect.DeepEqual would.
func Equal(a, b any) bool {
	return equal(reflect.ValueOf(a), reflect.ValueOf(b), map[[2]uintptr]bool{})
}

func equal(a, b reflect.Value, visited map[[2]uintptr]bool) bool {
	if !a.IsValid() || !b.IsValid() {
		return a.IsValid() == b.IsValid()
	}
	if a.Type() != b.Type() {
		return false
	}
	switch a.Kind() {
	case reflect.Float32:
		return math.Float32bits(float32(a.Float())) == math.Float32bits(float32(b.Float()))
	case reflect.Float64:
		return math.Float64bits(a.Float()) == math.Float64bits(b.Float())
	case reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return equal(a.Elem(), b.Elem(), visited)
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		k := [2]uintptr{a.Pointer(), b.Pointer()}
		if visited[k] {
			return true
		}
		visited[k] = true
		if a.Type().Elem().String() == "big.Int" {
			return reflect.DeepEqual(a.Interface(), b.Interface())
		}
		return equal(a.Elem(), b.Elem(), visited)
	case reflect.Slice, reflect.Array:
		if a.Kind() == reflect.Slice && (a.IsNil() != b.IsNil() && a.Len()+b.Len() > 0) {
			return false
		}
		if a.Len() != b.Len() {
			return false
		}
		for i := 0; i < a.Len(); i++ {
			if !equal(a.Index(i), b.Index(i), visited) {
				return false
			}
		}
		return true
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if !equal(a.Field(i), b.Field(i), visited) {
				return false
			}
		}
		return true
	case reflect.Map:
		return reflect.DeepEqual(a.Interface(), b.Interface())
	default:
		if a.CanInterface() {
			return a.Interface() == b.Interface()
		}
		return reflect.DeepEqual(a, b)
	}
}
