package domain

import "strconv"

// fieldIndex returns "name[i]", the field path of a list element.
func fieldIndex(name string, i int) string { return name + "[" + strconv.Itoa(i) + "]" }

func itoa(i int) string { return strconv.Itoa(i) }
