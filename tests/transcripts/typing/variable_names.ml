(* How type variables are named when printed, as OCaml's Printtyp names
   them: a variable keeps the name an annotation gave it, fresh names skip
   the names of the variables being printed, an instance of a value's
   type forgets its names, and a bare identifier prints its declared
   type. *)
let f y (x : 'a) = (y, x);;
let g (y : 'b) (x : 'a) z = (z, y, x);;
let h (x : 'b) = x;;
h;;
let i = h;;
fun z -> (h z, List.length);;
let j x = (x, List.length);;
fun a b -> a = b && compare a b = 0;;
