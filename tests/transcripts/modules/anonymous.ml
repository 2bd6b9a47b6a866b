(* Anonymous modules (module _), compared with ocaml 4.13.1. *)
module _ = struct let x = print_endline "side" end;;
module _ : sig end = struct end;;
let () = let module _ = struct let () = print_endline "in" end in ();;
module type S = sig module _ : sig end end;;
module M = struct module _ = struct let () = print_endline "eff" end let y = 2 end;;
M.y;;
