let x = 1
type t = A
let f y = y + x
