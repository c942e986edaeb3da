module hw1pipe

go 1.24

require (
	github.com/nlpodyssey/gopickle v0.2.0 // indirect
	golang.org/x/sync v0.25.0 // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/term v0.48.0 // indirect
	gonum.org/v1/gonum v0.17.0 // indirect
	gonum.org/v1/hdf5 v0.0.0-20210714002203-8c5d23bc6946 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
