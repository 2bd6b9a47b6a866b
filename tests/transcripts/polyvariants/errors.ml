(* OCaml's unification errors for rows. *)
let f (x : [`A]) = (x : [`B]);;
let f (x : [`A of int]) = (x : [`A of string]);;
let f (x : [`A|`C]) = (x : [`A]);;
let f (x : [`A]) = (x : [`A|`C]);;
let f (x : [<`A]) = (x : [>`A|`C]);;
let f (x : [>`A]) = (x : [<`B]);;
let f x = ignore (match x with `A|`B -> 1); ignore (x : [`A]);;
let f (x : [< `A | `B]) = match x with `A | `B | `C -> 0;;
let t : [< `A | `B > `C ] = `A;;
let t : [ `A of int & string ] = `A 1;;
`A 1 + 1;;
let x = `azdwbie = `c7diagq;;
type polyvariant = [> `C ];;
