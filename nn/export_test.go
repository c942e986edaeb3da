package nn

// UseAVX lets tests run the CSR kernels with and without assembly.
var UseAVX = &useAVX

// DatasetCSR returns the CSR NewDataset built from bytes, or nil.
func DatasetCSR(ds Dataset) *CSR { return ds.csr }
