(* fun.ml — module Fun: combinators on functions, as OCaml 4.13's
   stdlib/fun.ml; protect takes ~finally positionally. *)

external id : 'a -> 'a = "%identity"
let const c _ = c
let flip f x y = f y x
let negate p v = not (p v)

exception Finally_raised of exn

(* Runs work (), then finally () whether work returned or raised; an
   exception from finally is wrapped in Finally_raised. *)
let protect finally work =
  let finally_no_exn () =
    try finally () with e -> raise (Finally_raised e)
  in
  let result =
    try work () with work_exn -> finally_no_exn (); raise work_exn
  in
  finally_no_exn ();
  result
