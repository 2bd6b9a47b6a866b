(* camlinternalFormatBasics.ml — module CamlinternalFormatBasics: the
   format types. The type checker gives a string literal expected to be a
   format its format6 type (compiler/tc_format.c); at run time a format is
   that string, which Printf interprets. fmt exists for the type checker's
   messages, as OCaml's GADT of the same name. *)

type ('a, 'b, 'c, 'd, 'e, 'f) fmt
type ('a, 'b, 'c, 'd, 'e, 'f) format6
type ('a, 'b) padding
type ('a, 'b) precision
