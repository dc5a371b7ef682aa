package admin

// operationsViews are the templates of this area of the console.
var operationsViews = []string{}

// operationsPages are this area's pages of the console.
func (s *Server) operationsPages() []route {
	return nil
}
