module hw1pipe/torchref

go 1.26.0

require (
	github.com/sugarme/gotch v0.7.0
	hw1pipe v0.0.0-00010101000000-000000000000
)

require (
	golang.org/x/sys v0.50.0 // indirect
	gonum.org/v1/gonum v0.17.0 // indirect
)

// The patched copy made by scripts/setup-gotch.sh (build/ is not committed).
replace github.com/sugarme/gotch => ../build/gotch

replace hw1pipe => ../
