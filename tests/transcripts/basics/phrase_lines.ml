(* Blank and comment lines before a phrase count in its locations. *)
let x = 1;;

let y = x + "a";;
(* a comment
   on two lines *)

let z = ) ;;
let w = 2;; (* the rest of a ;; line is dropped *)
let v = w +. 1.;;

(* open at the end of input *)
let u = (w
