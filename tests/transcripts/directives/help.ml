(* #help lists the directives by section, as ocaml lays them out; the
   texts are natml's own. *)
#help;;
