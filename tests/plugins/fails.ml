(* A unit whose initialisation raises. *)
let x = 1

let () = failwith "init failed"
