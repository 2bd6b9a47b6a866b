(* #use, #mod_use and #directory's search path, compared with ocaml. *)
#mod_use "files/foo.ml";;
Foo.f 2;;
#use "files/bar.ml";;
#directory "files";;
#use "bar.ml";;
#mod_use "foo.ml";;
#remove_directory "files";;
#cd "files";;
#use "bar.ml";;
#cd "..";;
