(* Compiled in the same plugin as Alpha, after it. *)
let message = Alpha.greet Alpha.name ^ " from beta"
