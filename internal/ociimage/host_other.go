//go:build !arm

package ociimage

// goarmVariant is empty off ARM, where GOARM means nothing.
const goarmVariant = ""
