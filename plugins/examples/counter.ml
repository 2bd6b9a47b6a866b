(* counter.ml — the example plugin: `natmlc -shared counter.ml -o
   counter.so` makes unit Counter, which examples/host.c loads, calls and
   reloads after it is rebuilt. *)

let version = 1

let count = ref 0

let add n =
  count := !count + n;
  !count

let describe () = Printf.sprintf "counter version %d at %d" version !count
